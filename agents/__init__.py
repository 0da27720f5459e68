"""The director agent: reads a direction and its thread, decides the tool calls, knows nothing of Slack."""

from agents.actions import ShotAction
from agents.desk import ShotAsk, ShotDesk, ShotOutcome
from agents.direction import Direction
from agents.director import Director, DirectorReply

__all__ = ["Direction", "Director", "DirectorReply", "ShotAction", "ShotAsk", "ShotDesk", "ShotOutcome"]
