"""A local Slack-compatible workspace: Web API, signed event and interaction delivery, a browser UI."""

from localslack.interactive import Interaction, InteractionError
from localslack.local import LocalWorkspace

__all__ = ["Interaction", "InteractionError", "LocalWorkspace"]
