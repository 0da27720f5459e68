"""Reading a director's message: what it asks for (a shot, a change, a question, canon) and its fields.

Each module holds one kind of reading, so the offline model composes them and the tests check
each on its own: ``requests`` (questions and commands about the project, by similarity to
exemplar phrasings), ``vagueness`` (a direction with nothing to draw, or a referent nobody
defined), ``canon_statements`` (characters and facts said in passing) and ``reframing``
(aspect words: "vertical for socials", "a square one for the poster").
"""
