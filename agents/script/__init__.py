"""From a scene of the script to a shot list: reading (``reading``) and coverage (``coverage``)."""

from agents.script.reading import NotAScene, read_scene
from agents.script.scene import Action, CastMember, Heading, Line, Scene

__all__ = ["Action", "CastMember", "Heading", "Line", "NotAScene", "Scene", "read_scene"]
