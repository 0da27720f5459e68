"""The reading modules on their own: each kind of reading checked apart from the agent loop."""

from __future__ import annotations

import pytest

from agents.reading.aspects import UnknownAspect, read_aspect
from agents.reading.canon_statements import (
    read_alias,
    read_character,
    read_characters,
    read_fact,
    read_look,
    read_pronouns,
    read_reference,
)
from agents.reading.contradictions import contradiction
from agents.reading.regions import find_region
from agents.reading.requests import RequestReader
from agents.reading.revisions import RevisionReader
from agents.reading.typos import corrected
from agents.reading.vagueness import (
    her_is_object,
    is_content_free_change,
    pronoun_referent,
    question_for_change,
    question_for_new_shot,
)
from agents.reading.versions import earlier_version
from agents.spec import read_spec
from memory.canon import names_in
from memory.embeddings import TextEmbedder
from memory.story_facts import binds, infer

CAST = ["Ada", "Kit"]


@pytest.fixture(scope="module")
def reader(text_embedder: TextEmbedder) -> RequestReader:
    return RequestReader(text_embedder)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("so what are you able to do?", "help"),
        ("have we got any frames of Kit?", "list_shots"),
        ("which ones got approved", "list_shots"),
        ("what's going on with shot 7", "shot_history"),
        ("v3 next to v5 please", "compare"),
        ("ship the approved stuff to the editor", "export"),
        ("is my render still going?", "queue"),
    ],
)
def test_questions_about_the_project_are_told_from_directions(
    reader: RequestReader, text: str, kind: str
) -> None:
    assert reader.read(text, CAST).kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "show me Ada on the pier at night",
        "WS of the export warehouse at dawn",
        "CU, a note that says help me",
        "the judge approves the verdict, MS, courtroom",
        "like shot 3 but at dusk",
    ],
)
def test_directions_that_look_like_requests_stay_directions(reader: RequestReader, text: str) -> None:
    reading = reader.read(text, CAST)
    assert not reading.is_request, reading


def test_a_direction_with_nothing_to_draw_gets_one_question_naming_the_cast() -> None:
    asked = question_for_new_shot("just her, please", CAST, film_words=False)
    assert asked is not None and "“her”" in asked and "Ada, Kit" in asked
    history = question_for_new_shot("the man from the location recce, wide", CAST, film_words=True)
    assert history is not None and "“the man from the location recce”" in history
    assert question_for_new_shot("Ada at the window", CAST, film_words=False) is None
    assert question_for_new_shot("a lighthouse in a gale", CAST, film_words=False) is None


def test_a_change_that_names_nothing_is_content_free() -> None:
    assert is_content_free_change("make it pop a bit more")
    assert not is_content_free_change("make it pop, more red in the sky")
    assert is_content_free_change("punch it up") and is_content_free_change("kick it up a notch")
    assert not is_content_free_change("punch in on her") and not is_content_free_change(
        "crank up the contrast"
    )
    assert question_for_new_shot("3", CAST, film_words=False) is not None  # a bare number draws nothing


def test_someone_acting_on_a_pronoun_is_not_whom_it_means() -> None:
    men = {"Rook": "he/him", "Idris": "he/him"}
    asked = question_for_new_shot("a guard shoves him up against the cell wall, MCU", men, True, (), men)
    assert asked is not None and "“him”" in asked
    assert question_for_new_shot("the woman turns her head, CU", men, True, (), men) is None  # hers
    assert question_for_new_shot("a young woman at the window, her hair wet", men, True, (), men) is None


def test_a_region_said_as_a_band_of_a_column_is_where_they_cross() -> None:
    assert find_region("only change the sky on the left third, stormier") == (
        (0.0, 0.0, 1 / 3, 1 / 3),
        "sky on the left third",
    )
    assert find_region("bottom half, frame right: a puddle") == (
        (0.5, 0.5, 1.0, 1.0),
        "bottom half, frame right",
    )
    assert find_region("the banner at the top, keep the centre") == ((0.0, 0.0, 1.0, 1 / 3), "at the top")


def test_another_name_for_someone_in_the_canon_and_canon_said_as_relation_or_by_its_look() -> None:
    cast = ["Idris", "Maya", "Rook", "Teo", "Kai"]
    assert read_alias("fyi everyone on the boat calls idris 'the captain'", cast).aliases == ("Captain",)  # type: ignore[union-attr]
    assert read_alias("if i say captain, that's Idris", cast).name == "Idris"  # type: ignore[union-attr]
    assert read_alias("Maya calls Rook a coward in the tavern", cast) is None  # a scene, not a name
    assert read_alias("Maya calls Rook the Butcher, CU", cast) is None
    lena = read_character("lena is teo's older sister, early 30s, shaved head, swallow tattoo. she/her", cast)
    assert lena is not None and lena.name == "Lena" and lena.pronouns == "she/her"
    ines = read_character("ines = kai's mum. 60ish, silver bob, reading glasses on a chain", cast)
    assert ines is not None and ines.name == "Ines"
    assert read_character("maya is teo's sister, she walks in", cast) is None  # known
    night = read_look("our night look is sodium vapour orange, crushed blacks, heavy grain")
    assert night is not None and night.name == "Night"
    flashbacks = read_look(
        "all the flashbacks get the same treatment - faded kodachrome, halation, nothing modern"
    )
    assert flashbacks is not None and flashbacks.name == "Flashbacks" and flashbacks.negative == "modern"
    assert read_look("our hero is a tall woman with a warm smile") is None
    fact = read_fact("it rains all through act 2 btw, keep that in mind")
    assert fact is not None and fact.text == "it rains all through act 2" and fact.established_in == "act 2"


def test_characters_introduced_in_passing_are_read_and_a_known_name_doing_something_is_not() -> None:
    cousin = read_character("Wren is Ada's cousin, 30, curly red hair, always in overalls (she/her)", CAST)
    assert cousin is not None and cousin.name == "Wren" and cousin.pronouns == "she/her"
    assert cousin.costume == "overalls" and "cousin" in cousin.description
    met = read_character("meet Lorne — a retired boxer with a flattened nose", CAST)
    assert met is not None and met.name == "Lorne"
    assert read_character("Ada is climbing the stairs", CAST) is None
    assert read_character("Wren is standing at the bar", CAST) is None


@pytest.fixture(scope="module")
def revisions(text_embedder: TextEmbedder) -> RevisionReader:
    return RevisionReader(text_embedder)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("nice. some more in this vein, same framing", "vary"),
        ("hmm, shake it up and try again a couple of times", "vary"),
        ("I'll need this one huge for the lobby poster", "upscale"),
        ("more smoke, less people", "change"),
        ("make the moon bigger", "change"),
        ("again but he's older", "change"),
        ("let's see her from the other side", "change"),
    ],
)
def test_which_capability_a_direction_in_a_thread_asks_for(
    revisions: RevisionReader, text: str, kind: str
) -> None:
    reading = revisions.read(text)
    assert reading.kind == kind, reading


def test_facts_need_a_cue_and_keep_where_they_were_established() -> None:
    fact = read_fact("just so you know, the tram line closes in episode 2")
    assert (
        fact is not None
        and fact.text == "the tram line closes in episode 2"
        and fact.established_in == "episode 2"
    )
    assert read_fact("remember the bridge from the opening") is None


def test_standing_truths_of_the_story_are_facts_without_a_cue_and_frames_are_not() -> None:
    harbour = read_fact("the harbour is frozen every winter")
    assert harbour is not None and "frozen" in harbour.text
    scar = read_fact("Kit gets the scar in ep 3 and has it from then on")
    assert scar is not None and scar.established_in == "ep 3"
    assert read_fact("Ada never smiles") is not None
    assert read_fact("Ada on the quay, never smiling") is None
    assert read_fact("CU, Ada always watching the door") is None
    assert read_fact("wide of the harbour, it always freezes") is None


def test_looks_are_named_or_named_by_the_part_of_the_film_they_grade() -> None:
    named = read_look("keep this as a look called Ember Night: amber practicals, deep shadows, no blue")
    assert named is not None and named.name == "Ember Night" and named.negative == "blue"
    scoped = read_look("all the flashbacks should look like faded super 8, warm halation, heavy grain")
    assert scoped is not None and scoped.name == "Flashbacks" and "grain" in scoped.description
    assert read_look("Ada should look like she hasn't slept") is None


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("cut a vertical one for reels", "9:16"),
        ("square version for the grid", "1:1"),
        ("letterbox it", "2.39:1"),
        ("WS of the market square at noon", None),
        ("Kit waits in the square.", None),
        ("meet at 5:30", None),
    ],
)
def test_frames_are_named_in_delivery_words_but_places_and_clocks_are_not_frames(
    text: str, aspect: str | None
) -> None:
    assert read_aspect(text) == aspect


def test_a_ratio_that_is_no_preset_is_refused() -> None:
    with pytest.raises(UnknownAspect, match="21:9"):
        read_aspect("21:9 please")


def test_swapped_and_dropped_letters_in_film_words_are_mended_and_names_are_not() -> None:
    assert corrected("meduim shot, hanheld") == "medium shot, handheld"
    assert corrected("Kit by the cmaera") == "Kit by the camera"
    assert corrected("Ada meets Chloe at night") == "Ada meets Chloe at night"


def test_story_facts_rule_out_what_they_make_impossible_from_when_they_hold() -> None:
    lost = "Kit lost his left arm in scene 3"
    assert infer(lost, "scene 3", "scene 5, Kit lifting the crate with both arms")
    assert not infer(lost, "scene 3", "scene 2, Kit lifting the crate with both arms")
    assert infer("Ada is killed in scene 10", "scene 10", "scene 14, Ada laughing at the bar")
    assert not infer("Ada is killed in scene 10", "scene 10", "scene 14, Ada's funeral, rain")
    weather = "it rains for the whole of act 1"
    assert infer(weather, "act 1", "act 1, the beach under a cloudless sky")
    assert not infer(weather, "act 1", "act 2, the beach under a cloudless sky")
    assert infer("Kit shaves his head in scene 4", "scene 4", "scene 6, Kit with a ponytail")
    assert not binds("x in scene 4", "scene 4", "flashback: Kit as a child")


@pytest.mark.parametrize(
    "text,current,expected",
    [
        ("go back to the first one", 3, 1),
        ("start from the second take, lower angle", 3, 2),
        ("version two but at night", 3, 2),
        ("the original, with rain", 4, 1),
        ("previous one was better, make it dusk", 3, 2),
        ("undo that last change", 5, 4),
        ("make v3 warmer", 3, None),  # the current version: a plain revision
        ("first light on the sea", 3, None),  # a time of day, not a version
        ("one more take with rain", 3, None),
        ("tighter", 3, None),
    ],
)
def test_the_version_a_revision_starts_from(text: str, current: int, expected: int | None) -> None:
    assert earlier_version(text, current) == expected


@pytest.mark.parametrize(
    "text,name",
    [
        ("oh and Wren is Bram's cousin, thirties, wiry", "Wren"),
        ("there's a girl called Pip, about ten, freckles", "Pip"),
        ("Marlo - Kestrel's friend from the shelter, lanky", "Marlo"),
        ("add a character: ansel, the old ferry captain, grey beard", "Ansel"),
        ("we also have Sefa in the cast, a nurse in her forties", "Sefa"),
        ("Nell (Bram's aunt) is in this — sixties, bad hip", "Nell"),
        ("Corin, the crew call him Doc, forties, round glasses", "Corin"),
    ],
)
def test_characters_said_in_passing(text: str, name: str) -> None:
    found = read_character(text, ["Odile", "Bram", "Kestrel"])
    assert found is not None and found.name == name


def test_a_person_named_doing_something_is_still_a_shot() -> None:
    assert read_character("a girl called Pip runs down the pier, WS", ["Odile"]) is None
    assert read_character("and Bram walks to the boat", ["Bram"]) is None


def test_a_nickname_is_kept_as_an_alias_and_the_relation_in_brackets_as_description() -> None:
    doc = read_character("Corin, the crew call him Doc, forties, round glasses", [])
    assert doc is not None and doc.aliases == ("Doc",) and "Doc" not in doc.description
    nell = read_character("Nell (Bram's aunt) is in this — sixties, bad hip", ["Bram"])
    assert nell is not None and nell.description.startswith("Bram's aunt")
    assert read_character("Bram, 40s, grey beard, at the bar, close up", []) is None


def test_an_unresolved_pronoun_means_the_canons_one_character_when_it_fits() -> None:
    assert pronoun_referent("close on her hands, candlelight", {"Ada": "she/her"}) == "Ada"
    assert pronoun_referent("close on her hands", {"Ada": "she/her", "Kit": "he/him"}) is None  # ask
    two = {"Ada": "she/her", "Kit": "he/him"}
    assert pronoun_referent("she slams the door and runs down the stairs, night", two) == "Ada"
    assert pronoun_referent("close on his hands", {"Ada": "she/her"}) is None
    assert pronoun_referent("close on her hands", {"Sol": ""}) == "Sol"  # no pronouns given: may be her
    assert pronoun_referent("a nurse at the desk, her hands shaking", {"Ada": "she/her"}) is None
    assert pronoun_referent("close on her hands", {"Ada": "she/her"}, earlier="Ada at the door") is None


def test_a_pronoun_asks_who_unless_someone_it_fits_was_named_or_said_first() -> None:
    cast = {"Ada": "she/her", "Kit": "he/him", "Nell": "she/her"}
    asked = question_for_new_shot("she slams the door and runs, handheld, night", cast, True, (), cast)
    assert asked is not None and "“she”" in asked  # Ada or Nell?
    # nobody in the canon she could be: Slate would only invent her
    assert question_for_new_shot("she slams the door and runs, handheld, night", {}, True) is not None
    assert question_for_new_shot("Kit hands her the letter, OTS", cast, True, ["Kit"], cast) is not None
    assert question_for_new_shot("Ada turns, her coat wet, MCU", cast, True, ["Ada"], cast) is None
    assert question_for_new_shot("her POV of the crowd below, WS", cast, True, (), cast) is None
    assert question_for_new_shot("close on her face", cast, True, ["Ada"], cast) is None  # named earlier
    kit = {"Kit": "he/him"}
    asked = question_for_new_shot("shot of her", kit, False, (), kit)
    assert asked is not None and "Kit" not in asked and "nobody in the canon is “her”" in asked
    men = {**cast, "Rook": "he/him"}
    asked = question_for_new_shot("close on him when he finds out", men, False, (), men)
    assert asked is not None and "(Kit, Rook)" in asked  # offered only whom "him" fits


def test_reference_stills_are_kept_for_the_canon_name_said_with_what_they_show() -> None:
    owners = ["Ada", "Kit", "Salt Flats"]
    side = read_reference("kit from the side, keep these 3 as his refs", owners)
    assert side is not None and side.owner == "Kit" and side.caption == "from the side"
    grade = read_reference("grade refs for salt flats", owners)
    assert grade is not None and grade.owner == "Salt Flats"
    unknown = read_reference("refs for wren, the ferryman's niece", owners)
    assert unknown is not None and unknown.owner == "" and unknown.said == "Wren"
    assert read_reference("WS, Ada on the pier at dusk", owners) is None


@pytest.mark.parametrize(
    ("text", "name", "negative"),
    [
        ("new look called Ember. amber practicals, deep shadows; no blue light ever", "Ember", "blue light"),
        ("define a style 'Tidewater' = teal mids, low contrast. avoid hard sun", "Tidewater", "hard sun"),
        ("call this look Dust Bowl: sepia, heavy grain. never a clean sky", "Dust Bowl", "clean sky"),
        ("add look Hoarfrost (ice blue, crushed mids) - not allowed: warm skin", "Hoarfrost", "warm skin"),
        (
            "the montage, name it Lanterns: warm bokeh, soft bloom. no harsh shadows",
            "Lanterns",
            "harsh shadows",
        ),
    ],
)
def test_named_looks_in_the_words_people_use(text: str, name: str, negative: str) -> None:
    look = read_look(text)
    assert look is not None and look.name == name and look.negative == negative and look.description


def test_a_look_that_names_nothing_is_no_look() -> None:
    assert read_look("new look: — teal shadows, heavy grain") is None
    assert read_look("define a style '' = teal") is None


@pytest.mark.parametrize(
    ("text", "setting"),
    [
        ("boathouse, first light", "boathouse"),  # a compound of a place word nobody listed
        ("MS, Ada waits outside the gatehouse", "gatehouse"),
        ("Kit throws the lever and the warehouse floods with light, WS", "warehouse"),
        ("slow push in on the moment she reads it", ""),  # a when, not a where
    ],
)
def test_places_said_in_compounds_and_before_a_verb(text: str, setting: str) -> None:
    assert read_spec(text, CAST).setting == setting


@pytest.mark.parametrize(
    ("text", "name", "who"),
    [
        ("our villain is Moreau: sixties, gaunt, pale, silver goatee, never blinks", "Moreau", "our villain"),
        ("ada's aunt Philippa shows up in ep 3 — tall, seventies, wire specs", "Philippa", "ada's aunt"),
        ("kit has an older brother, joss — 30s, bald, tattoos on both forearms", "Joss", "older brother"),
    ],
)
def test_a_person_named_anywhere_in_a_sentence_that_only_says_who_they_are(
    text: str, name: str, who: str
) -> None:
    character = read_character(text, CAST)
    assert character is not None and character.name == name and who in character.description
    assert read_character(f"{text}, WS at the door", CAST) is None  # framed: a shot of them


def test_looks_named_late_and_facts_under_a_rule_cue() -> None:
    look = read_look("the dream scenes get a look of their own, call it Drift — milky blacks, soft halation")
    assert look is not None and (look.name, look.description) == ("Drift", "milky blacks, soft halation")
    look = read_look("new look for the night exteriors, name it Tar: crushed blacks. it must never have fog")
    assert look is not None and (look.name, look.negative) == ("Tar", "fog")
    fact = read_fact("story rule: there are no cars anywhere in this world")
    assert fact is not None and "no cars" in fact.text
    fact = read_fact("established in sc 9: kit breaks his nose in the fall")
    assert fact is not None and fact.established_in == "sc 9"


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Ada across the crowded market, go 85, shallow focus", "lens_mm", 85),
        ("use the 50 on this one - MCU Kit at the desk", "lens_mm", 50),
        ("go 50 metres back from Kit", "lens_mm", None),
        ("WS Kit caught in the headlights on the dirt road", "lighting", ["headlights"]),
        ("MS Ada lying awake in bed, moonlight through the blinds", "setting", "bed"),
        ("MS Ada lying awake in bed, moonlight through the blinds", "time_of_day", "night"),
        ("CU Kit under the pink neon of the laundrette sign", "setting", "laundrette"),
    ],
)
def test_lens_light_and_places_in_the_words_crews_use(text: str, field: str, value: object) -> None:
    assert getattr(read_spec(text, CAST), field) == value


def test_a_season_and_a_lost_eye_rule_out_what_they_make_impossible() -> None:
    snow = "From December to February the moor is under snow"
    assert infer(snow, "", "january, Ada running through the wildflowers, warm sun")
    assert not infer(snow, "", "july, Ada running through the wildflowers")
    eye = "Kit loses his right eye in scene 4"
    assert infer(eye, "scene 4", "sc 9, ECU Kit, both his eyes wide")
    assert not infer(eye, "scene 4", "sc 2, ECU Kit, both his eyes wide")  # before he lost it


def test_the_two_of_them_asks_which_when_the_canon_has_more() -> None:
    asked = question_for_new_shot("the two of them on the pier at dusk, WS", ["Ada", "Kit", "Lu"], True)
    assert asked is not None and asked.startswith("Which two?")
    assert question_for_new_shot("the two of them on the pier at dusk, WS", ["Ada", "Kit"], True) is None


def test_people_listed_said_in_passing_and_facts_about_things() -> None:
    listed = read_characters(
        "two new faces for the market scene: Bram, a one-eyed knife grinder, and Odile, the old spice seller",
        [],
    )
    assert [(p.name, p.description) for p in listed] == [
        ("Bram", "a one-eyed knife grinder"),
        ("Odile", "the old spice seller"),
    ]
    yara = read_character(
        "ok so when maya gets home her kid sister Yara is already there waiting — yara's 16, freckles, "
        "she/her. no shot yet, just so u know who she is",
        ["Maya"],
    )
    assert yara is not None and yara.description == "Maya's kid sister, 16, freckles"
    lighthouse = read_fact("the lighthouse hasn't had a lamp since the war, and the windows are boarded over")
    assert lighthouse is not None and lighthouse.thing == "lighthouse"
    snow = read_fact("for all of act two it's snowing, heavy, no let up")
    assert snow is not None


def test_hype_a_shrug_and_someones_taste_draw_nothing() -> None:
    for said in ("this is gonna be SO good 🔥🔥🔥 lets gooo", "whatever u think honestly, you choose"):
        assert question_for_new_shot(said, CAST, film_words=False) is not None, said
    taste = question_for_new_shot(
        "can we do the DP's favourite framing for the finale", CAST, film_words=False
    )
    assert taste is not None and "“the DP's favourite framing" in taste
    assert is_content_free_change("hmm not quite. fix it") and is_content_free_change("nah change something")
    assert not is_content_free_change("fix the sky, it should be red")
    assert corrected("close up rook, candel light, nite") == "close up rook, candle light, night"


def test_corrections_and_pronouns_said_on_their_own_keep_the_canon() -> None:
    coat = read_fact("actually teo's coat is brown not green, my bad")
    assert coat is not None and coat.text == "teo's coat is brown not green"
    south = read_fact("no wait the lighthouse is on the SOUTH cliff not the north one, fix that")
    assert south is not None and south.thing == "lighthouse"
    assert read_fact("actually maya is on the left not the right") is None  # blocking, for the shot
    wren = read_pronouns("wren uses they/them just so u know, she's— sorry, they're our lead courier", [])
    assert wren is not None and (wren.name, wren.pronouns, wren.description) == (
        "Wren",
        "they/them",
        "our lead courier",
    )
    idris = read_pronouns("idris is he/him", ["Idris"])
    assert idris is not None and idris.description == ""  # only the pronouns are new


def test_what_only_the_team_saw_is_asked_about_in_a_thread_too() -> None:
    asked = question_for_change("can it feel more like the camera test from last week", CAST)
    assert asked is not None and "“the camera test from last week”" in asked
    assert question_for_change("like v1 but at night", CAST) is None  # the thread's own versions
    assert question_for_new_shot("do it like we talked about on the call yday", CAST, film_words=False)
    assert question_for_new_shot("bring back the one the client hated", CAST, film_words=False)
    assert question_for_new_shot("something noir-ish for the opener?", CAST, film_words=False)
    assert is_content_free_change("love it but no 😬")
    assert read_spec("dirty single on noor, the fg soft, MCU, interrogation room", ["Noor"]).angle == "OTS"


def test_cast_lists_actors_props_and_looks_named_last() -> None:
    pasted = read_characters(
        "• Odile – the innkeeper, 60, silver braid\n• Bram – stable boy, 12, freckles", []
    )
    assert [p.name for p in pasted] == ["Odile", "Bram"]
    hale = read_character("Ansel Moreau plays Hale, the lighthouse keeper — grey beard, yellow oilskin", [])
    assert hale is not None and hale.name == "Hale" and hale.description.endswith("(played by Ansel Moreau)")
    lux = read_character("Lux plays the getaway driver — thirties, mirrored aviators", [])
    assert lux is not None and lux.name == "Lux"
    compass = read_fact("the silver compass goes from Idris to Mira in sc 9 and she keeps it after that")
    assert compass is not None and compass.established_in == "sc 9"
    memory = read_look(
        "flashbacks all get that 16mm home movie feel, warm grain, soft vignette — call it Memory"
    )
    assert memory is not None and (memory.name, memory.description) == (
        "Memory",
        "16mm home movie feel, warm grain, soft vignette",
    )
    assert read_fact("Petra's costume for the whole heist = navy boiler suit + red beanie") is not None


def test_a_lens_said_in_words_and_parts_between_symbols() -> None:
    assert read_spec("wide of the roof at night, let's go on the thirty five").lens_mm == 35
    assert read_spec("CU on an eighty-five mil").lens_mm == 85
    assert read_spec("the fifty soldiers march at dawn").lens_mm is None
    emoji = read_spec("MS 🎬 Ines 🎬 greenhouse 🎬 golden hour", ["Ines"])
    assert (emoji.setting, emoji.time_of_day) == ("greenhouse", "golden hour")
    assert read_spec("can we 'ave a mid on Tomas leaning on the lorry", ["Tomas"]).shot_size == "MS"
    he_only = {"Bram": "he/him", "Hale": "he/him"}
    asked = question_for_new_shot("she climbs out of the pool at night, wide", he_only, True, (), he_only)
    assert asked is not None and "nobody in the canon is “she”" in asked


def test_things_and_roles_only_the_team_knows_and_groups_pointed_back_at_ask() -> None:
    cast = {"Ines": "she/her", "Maya": "she/her", "Teo": "he/him"}
    for said in (
        "insert: the lamp we picked up at the flea market, on the nightstand, warm practical",
        "Odile in the dress from last week's fitting, full length",
        "need a MS of the new PA passing Ines her coffee at video village",
        "those guys again, legging it across the parking garage, handheld",
    ):
        assert question_for_new_shot(said, cast, True, [], cast) is not None, said
    assert question_for_new_shot("the bartender slides Teo a drink, MS", cast, True, ["Teo"], cast) is None
    assert question_for_new_shot("his hands on the wheel, ECU, night", {"Maya": "she/her"}, True) is None
    assert read_alias("Hale - everyone in the script calls him Doc", ["Hale"]).aliases == ("Doc",)  # type: ignore[union-attr]
    assert read_spec("that's close. again but hold it way wider, EWS").shot_size == "EWS"


@pytest.mark.parametrize(
    ("text", "acted_on"),
    [
        ("a guard pins her against the wall", True),
        ("he lifts her up", True),
        ("he carries her as a shield", True),
        ("she turns and he grabs her.", True),
        ("Maya turns her head", False),
        ("Rook folds her letter", False),
    ],
)
def test_her_is_the_person_acted_on_or_a_possessive(text: str, acted_on: bool) -> None:
    her = text.rindex("her") + 3
    assert her_is_object(text, her) is acted_on


def test_names_are_found_as_whole_words_in_the_order_given() -> None:
    text = "CU on Maya's hands, Rook behind her; Mayan temple"
    assert names_in(text, ["Rook", "Maya", "Ma", "  "]) == ["Rook", "Maya"]
    assert names_in("the lighthouse at dusk", ["lighthouse "]) == ["lighthouse "]


def test_a_script_page_pasted_to_be_kept_registers_each_character_it_introduces() -> None:
    page = (
        "Register these two from the pilot: TEO - nineteen, lanky, shaved head, always in his dead "
        "brother's army jacket. And his sister INES, older, braids, nurse's scrubs under a parka."
    )
    teo, ines = read_characters(page, [])
    assert (teo.name, teo.costume) == ("Teo", "his dead brother's army jacket")
    assert ines.name == "Ines" and ines.description.startswith("Teo's sister, older, braids")
    (odile,) = read_characters(
        'Please add the character in this to the canon: "ODILE (50s), silver-haired, enters in a grey coat."',
        [],
    )
    assert (odile.name, odile.description, odile.costume) == (
        "Odile",
        "50s, silver-haired",
        "a grey coat",
    )
    (maya,) = read_characters("add these to the canon: INT. KITCHEN - NIGHT. MAYA (30s) stirs a pot.", [])
    assert maya.name == "Maya"  # the slug line is no one


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("a general plan of the harbour in the night", "shot_size", "WS"),
        ("close shot of Teo in the train", "shot_size", "CU"),
        ("hi angle on Rook in the courtyard night rain fifty millimeter", "angle", "high"),
        ("hi angle on Rook in the courtyard night rain fifty millimeter", "lens_mm", 50),
        ("hi angle on Rook in the courtyard night rain fifty millimeter", "setting", "courtyard"),
        ("extreme close up Petra's eyes eighty five mil", "lens_mm", 85),
        ("close up on Maya reading by the fire", "lighting", ["firelight"]),
        ("wide shot of the thrown room at dusk", "setting", "throne room"),
    ],
)
def test_words_said_by_dictation_or_a_non_native_speaker_are_read(
    said: str, field: str, value: object
) -> None:
    assert getattr(read_spec(corrected(said), ["Rook", "Petra", "Teo", "Maya"]), field) == value


def test_ratios_said_in_words_and_facts_dictated_with_numbers_in_words() -> None:
    assert read_aspect("wide of the throne room aspect two point three nine") == "2.39:1"
    assert read_aspect("ECU candlelight sixteen by nine") == "16:9"
    assert read_aspect("nine by sixteen for the reel") == "9:16"
    fact = read_fact(
        "note for continuity Teo broke his left arm in scene twelve so he's in a sling from then on"
    )
    assert fact is not None and fact.established_in == "scene 12"


def test_two_regions_apart_are_no_one_region() -> None:
    assert find_region("branches black against a white winter sky; snow on the ground") is None
    assert find_region("only change the sky on the left third")[1] == "sky on the left third"  # type: ignore[index]


@pytest.mark.parametrize(
    ("said", "torn"),
    [
        ("extreme wide close-up on Rook at the altar", True),
        ("day for night on Maya in the wheat, but keep it bright noon sun, no grading", True),
        ("locked-off handheld, following Teo up the stairwell", True),
        ("worm's-eye view looking down on Lena from the rafters", True),
        ("wide-angle close-up of Maya", False),  # a lens, not a size
        ("EWS of the valley, then cut to a CU of Maya", False),  # a cut, not one frame
        ("locked off, then it goes handheld when the fight starts", False),
        ("low angle on Rook, night", False),
    ],
)
def test_a_frame_asked_to_be_two_things_at_once_gets_a_question(said: str, torn: bool) -> None:
    assert (contradiction(said) is not None) is torn


def test_a_character_introduced_as_someone_is_she_or_he_until_said() -> None:
    (ines,) = read_characters("new character: Ines, Teo's sister, older, braids", ["Teo"])
    assert ines.pronouns == "she/her"
    (teo,) = read_characters("new character: Teo, nineteen, always in his dead brother's army jacket", [])
    assert teo.pronouns == "he/him"
    (kai,) = read_characters("new character: Kai, a nurse who lost her husband at sea", [])
    assert kai.pronouns == "she/her"
    (wren,) = read_characters("new character: Wren, fifties, crew cut, they/them", [])
    assert wren.pronouns == "they/them"  # said wins
    (hale,) = read_characters("new character: Hale, a knight with a grey beard", [])
    assert hale.pronouns == ""  # nothing says


@pytest.mark.parametrize(
    ("said", "name", "field", "value"),
    [
        ("Register Ansel, the butler: 60s. Costume: black tailcoat", "Ansel", "costume", "black tailcoat"),
        ("Add Noor: radio operator, 30s, headscarf. Also how many shots are approved?", "Noor", "description",
         "radio operator, 30s, headscarf"),
        ('Cass, aka "the Widow" in the script — 50s, mourning veil, always in black lace', "Cass", "costume",
         "black lace"),
        ("Kai (everyone on the boat calls him Kiddo) — 19, youngest deckhand", "Kai", "aliases", ("Kiddo",)),
        ("correction on Ines — she's NOT a nurse, she's a field surgeon, mid 40s", "Ines", "description",
         "she's NOT a nurse, she's a field surgeon, mid 40s"),
    ],
)  # fmt: skip
def test_a_character_said_as_crews_say_it(said: str, name: str, field: str, value: object) -> None:
    (person,) = read_characters(said, ["Ines"])
    assert person.name == name and getattr(person, field) == value


def test_an_emoji_bulleted_cast_list_under_a_heading_registers_everyone() -> None:
    listed = (
        "cast for ep 2 👇\n🧔 Dov — ferryman, 70, blind in one eye\n👧 Suri — his granddaughter, 12, barefoot"
    )
    assert [p.name for p in read_characters(listed, [])] == ["Dov", "Suri"]


def test_rules_for_frames_and_forwarded_notes_are_read_as_they_are_meant() -> None:
    heights = (
        "Mira is 5'1\" and Joss is 6'5\" — keep the height difference obvious whenever they share a frame"
    )
    assert read_characters(heights, []) == [] and read_fact(heights) is not None
    rain = read_fact("lock this in: it's raining in every exterior from scene 30 to scene 41")
    assert rain is not None and rain.established_in == "scene 30"
    assert read_fact("FYI from the studio: Slate, approve shot 1") is None  # a message passed on, not a fact
    assert read_look("Set up a look called Ember: warm amber palette, heavy grain").name == "Ember"  # type: ignore[union-attr]
    assert read_look('look "Clean Daylight": bright, natural. no lens flares').negative == "lens flares"  # type: ignore[union-attr]
