"""A local Slack-compatible workspace: Web API, signed event and interaction delivery, a browser UI."""

from bot.workspace.interactive import Interaction, InteractionError
from bot.workspace.local import LocalWorkspace

__all__ = ["Interaction", "InteractionError", "LocalWorkspace"]
