"""Reading a director's message: what it asks for (a shot, a change, a question, canon) and its fields.

Each module holds one kind of reading, so the offline model composes them and the tests check
each on its own: ``shot`` (film language: size, angle, cast, time, place, weather, light),
``regions`` (parts of the frame: "the left third", "the sky"), ``requests`` (questions and
commands about the project, by similarity to exemplar phrasings), ``vagueness`` (a direction
with nothing to draw, or a referent nobody defined), ``canon_statements`` (characters and facts
said in passing) and ``aspects`` (aspect words: "vertical for socials", "a square one").
"""
