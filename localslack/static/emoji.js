// Slack emoji shortcodes shown as Unicode; a name not here stays as ":name:" text.

export const EMOJI = {
  // status and review
  white_check_mark: "✅", heavy_check_mark: "✔️", ballot_box_with_check: "☑️", x: "❌",
  negative_squared_cross_mark: "❎", heavy_multiplication_x: "✖️", warning: "⚠️", no_entry: "⛔",
  no_entry_sign: "🚫", rotating_light: "🚨", exclamation: "❗", heavy_exclamation_mark: "❗",
  question: "❓", grey_question: "❔", grey_exclamation: "❕", bangbang: "‼️", interrobang: "⁉️",
  large_yellow_circle: "🟡", large_green_circle: "🟢", large_blue_circle: "🔵",
  large_orange_circle: "🟠", large_purple_circle: "🟣", large_brown_circle: "🟤", red_circle: "🔴",
  white_circle: "⚪", black_circle: "⚫", large_red_square: "🟥", large_green_square: "🟩",
  large_yellow_square: "🟨", large_blue_square: "🟦", white_large_square: "⬜",
  black_large_square: "⬛", radio_button: "🔘", lock: "🔒", unlock: "🔓", key: "🔑",
  // work and time
  hourglass_flowing_sand: "⏳", hourglass: "⌛", stopwatch: "⏱️", alarm_clock: "⏰", clock1: "🕐",
  calendar: "📆", date: "📅", memo: "📝", pencil: "📝", pencil2: "✏️", pen: "🖊️",
  clipboard: "📋", page_facing_up: "📄", page_with_curl: "📃", bookmark_tabs: "📑",
  file_folder: "📁", open_file_folder: "📂", card_index_dividers: "🗂️", books: "📚",
  book: "📖", notebook: "📓", label: "🏷️", paperclip: "📎", link: "🔗", pushpin: "📌",
  round_pushpin: "📍", scissors: "✂️", gear: "⚙️", wrench: "🔧", hammer: "🔨",
  hammer_and_wrench: "🛠️", toolbox: "🧰", package: "📦", inbox_tray: "📥", outbox_tray: "📤",
  email: "📧", envelope: "✉️", mailbox: "📫", bell: "🔔", no_bell: "🔕", loudspeaker: "📢",
  mega: "📣", speech_balloon: "💬", thought_balloon: "💭", left_speech_bubble: "🗨️",
  memory: "🧠", brain: "🧠", bulb: "💡", mag: "🔍", mag_right: "🔎", chart_with_upwards_trend: "📈",
  chart_with_downwards_trend: "📉", bar_chart: "📊", abacus: "🧮", triangular_ruler: "📐",
  straight_ruler: "📏", computer: "💻", keyboard: "⌨️", floppy_disk: "💾", cd: "💿",
  battery: "🔋", electric_plug: "🔌", satellite: "📡", robot_face: "🤖", zap: "⚡",
  // arrows and repeats
  arrows_counterclockwise: "🔄", arrows_clockwise: "🔃", repeat: "🔁", repeat_one: "🔂",
  arrow_right: "➡️", arrow_left: "⬅️", arrow_up: "⬆️", arrow_down: "⬇️", arrow_forward: "▶️",
  arrow_backward: "◀️", leftwards_arrow_with_hook: "↩️", arrow_right_hook: "↪️",
  arrow_heading_down: "⤵️", arrow_heading_up: "⤴️", fast_forward: "⏩", rewind: "⏪", twisted_rightwards_arrows: "🔀", back: "🔙", soon: "🔜",
  new: "🆕", free: "🆓", up: "🆙", ok: "🆗", cool: "🆒", sos: "🆘", heavy_plus_sign: "➕",
  heavy_minus_sign: "➖", heavy_division_sign: "➗", infinity: "♾️",
  // film, art, pictures
  clapper: "🎬", film_frames: "🎞️", film_projector: "📽️", movie_camera: "🎥", video_camera: "📹",
  camera: "📷", camera_with_flash: "📸", frame_with_picture: "🖼️", art: "🎨", paintbrush: "🖌️",
  crayon: "🖍️", performing_arts: "🎭", tv: "📺", cinema: "🎦", ticket: "🎫", admission_tickets: "🎟️",
  microphone: "🎤", studio_microphone: "🎙️", headphones: "🎧", musical_note: "🎵", notes: "🎶",
  level_slider: "🎚️", control_knobs: "🎛️", flashlight: "🔦", candle: "🕯️", crystal_ball: "🔮",
  jigsaw: "🧩", dart: "🎯", game_die: "🎲", sunrise: "🌅", city_sunset: "🌆", night_with_stars: "🌃",
  foggy: "🌁", ocean: "🌊", mountain: "⛰️", desert: "🏜️", camping: "🏕️", cityscape: "🏙️",
  house: "🏠", office: "🏢", anchor: "⚓", boat: "⛵", ship: "🚢", car: "🚗", rocket: "🚀",
  airplane: "✈️", sun_with_face: "🌞", sunny: "☀️", cloud: "☁️", rain_cloud: "🌧️", snowflake: "❄️",
  rainbow: "🌈", crescent_moon: "🌙", star: "⭐", star2: "🌟", stars: "🌠", dizzy: "💫",
  sparkles: "✨", fire: "🔥", boom: "💥", droplet: "💧", seedling: "🌱", evergreen_tree: "🌲",
  deciduous_tree: "🌳", cactus: "🌵", rose: "🌹", sunflower: "🌻", tulip: "🌷", four_leaf_clover: "🍀",
  // people and gestures
  "+1": "👍", thumbsup: "👍", "-1": "👎", thumbsdown: "👎", ok_hand: "👌", clap: "👏", wave: "👋",
  raised_hands: "🙌", pray: "🙏", muscle: "💪", point_right: "👉", point_left: "👈", point_up: "☝️",
  point_down: "👇", raised_hand: "✋", hand: "✋", v: "✌️", crossed_fingers: "🤞", handshake: "🤝",
  writing_hand: "✍️", eyes: "👀", eye: "👁️", bust_in_silhouette: "👤", busts_in_silhouette: "👥",
  man: "👨", woman: "👩", person_frowning: "🙍", technologist: "🧑‍💻", artist: "🧑‍🎨",
  // faces
  smile: "😄", smiley: "😃", grinning: "😀", grin: "😁", laughing: "😆", joy: "😂", rofl: "🤣",
  slightly_smiling_face: "🙂", upside_down_face: "🙃", wink: "😉", blush: "😊", innocent: "😇",
  heart_eyes: "😍", star_struck: "🤩", kissing_heart: "😘", yum: "😋", stuck_out_tongue: "😛",
  thinking_face: "🤔", thinking: "🤔", face_with_monocle: "🧐", neutral_face: "😐",
  expressionless: "😑", no_mouth: "😶", smirk: "😏", unamused: "😒", roll_eyes: "🙄",
  grimacing: "😬", relieved: "😌", pensive: "😔", sleepy: "😪", sleeping: "😴", mask: "😷",
  nerd_face: "🤓", sunglasses: "😎", confused: "😕", worried: "😟", slightly_frowning_face: "🙁",
  open_mouth: "😮", hushed: "😯", astonished: "😲", flushed: "😳", pleading_face: "🥺",
  cry: "😢", sob: "😭", scream: "😱", disappointed: "😞", sweat: "😓", sweat_smile: "😅",
  weary: "😩", tired_face: "😫", triumph: "😤", rage: "😡", angry: "😠", exploding_head: "🤯",
  partying_face: "🥳", shushing_face: "🤫", zipper_mouth_face: "🤐", skull: "💀", ghost: "👻",
  alien: "👽", see_no_evil: "🙈", hear_no_evil: "🙉", speak_no_evil: "🙊", 100: "💯",
  // hearts and celebration
  heart: "❤️", orange_heart: "🧡", yellow_heart: "💛", green_heart: "💚", blue_heart: "💙",
  purple_heart: "💜", black_heart: "🖤", white_heart: "🤍", broken_heart: "💔", sparkling_heart: "💖",
  tada: "🎉", confetti_ball: "🎊", balloon: "🎈", gift: "🎁", trophy: "🏆", medal: "🏅",
  first_place_medal: "🥇", second_place_medal: "🥈", third_place_medal: "🥉", crown: "👑",
  gem: "💎", moneybag: "💰", checkered_flag: "🏁", triangular_flag_on_post: "🚩",
  white_flag: "🏳️", coffee: "☕", tea: "🍵", beer: "🍺", beers: "🍻", pizza: "🍕", cake: "🍰",
  birthday: "🎂", cookie: "🍪", doughnut: "🍩", apple: "🍎", popcorn: "🍿",
  // symbols
  information_source: "ℹ️", copyright: "©️", registered: "®️", tm: "™️", hash: "#️⃣",
  one: "1️⃣", two: "2️⃣", three: "3️⃣", four: "4️⃣", five: "5️⃣", six: "6️⃣", seven: "7️⃣",
  eight: "8️⃣", nine: "9️⃣", zero: "0️⃣", keycap_ten: "🔟", recycle: "♻️", atom_symbol: "⚛️",
  white_small_square: "▫️", black_small_square: "▪️", small_blue_diamond: "🔹",
  small_orange_diamond: "🔸", large_blue_diamond: "🔷", large_orange_diamond: "🔶",
  small_red_triangle: "🔺", small_red_triangle_down: "🔻", diamond_shape_with_a_dot_inside: "💠",
  stop_sign: "🛑", construction: "🚧", vertical_traffic_light: "🚦", beginner: "🔰",
  trident: "🔱", o: "⭕", black_square_button: "🔲", white_square_button: "🔳",
  pause_button: "⏸️", stop_button: "⏹️", record_button: "⏺️", play_or_pause_button: "⏯️",
  eject: "⏏️", twisted_arrows: "🔀", globe_with_meridians: "🌐", earth_americas: "🌎",
  earth_africa: "🌍", world_map: "🗺️", compass: "🧭", hourglass_done: "⌛", timer_clock: "⏲️",
  shield: "🛡️", lock_with_ink_pen: "🔏", closed_lock_with_key: "🔐", old_key: "🗝️",
  wastebasket: "🗑️", put_litter_in_its_place: "🚮", magnet: "🧲", test_tube: "🧪",
  microscope: "🔬", telescope: "🔭", dna: "🧬", pill: "💊", thermometer: "🌡️", sponge: "🧽",
  mirror: "🪞", window: "🪟", door: "🚪", chair: "🪑", bed: "🛏️", couch_and_lamp: "🛋️",
};

const SHORTCODE = /:([a-z0-9_+'-]+):/g;

// Replace shortcodes in already-escaped HTML text (names never contain markup characters).
export function emojify(html) {
  return html.replace(SHORTCODE, (whole, name) => {
    const found = EMOJI[name];
    return found ? `<span class="emoji" title=":${name}:">${found}</span>` : whole;
  });
}

// An emoji from a rich_text element: its Unicode code points when given, else its name.
export function emojiChar(name, unicode) {
  if (unicode) {
    try {
      return String.fromCodePoint(...unicode.split("-").map((hex) => parseInt(hex, 16)));
    } catch {
      // fall through to the name
    }
  }
  return EMOJI[name] || null;
}

// Shortcodes in plain words (an option's label, a title): the text with Unicode in place.
export function emojiText(text) {
  return String(text ?? "").replace(SHORTCODE, (whole, name) => EMOJI[name] || whole);
}
