"""A local Slack-compatible workspace: Web API, signed event delivery and a browser UI on loopback."""

from bot.workspace.local import LocalWorkspace

__all__ = ["LocalWorkspace"]
