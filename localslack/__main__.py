"""Run the local workspace on its own.

    python -m localslack --events-url http://127.0.0.1:3000/slack/events

Useful when the bot runs in another process; `make demo` may start both together instead.
"""

from __future__ import annotations

import argparse
import os
import threading

from localslack.local import LocalWorkspace


def main() -> None:
    parser = argparse.ArgumentParser(description="A local Slack-compatible workspace for Slate.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SLATE_WORKSPACE_PORT", "8765")))
    parser.add_argument("--events-url", default=os.environ.get("SLATE_EVENTS_URL"))
    secret = os.environ.get("SLACK_SIGNING_SECRET", "local-signing-secret")
    parser.add_argument("--signing-secret", default=secret)
    parser.add_argument("--bot-token", default=os.environ.get("SLACK_BOT_TOKEN", "xoxb-local-slate"))
    args = parser.parse_args()
    workspace = LocalWorkspace(
        signing_secret=args.signing_secret,
        bot_token=args.bot_token,
        events_url=args.events_url,
        port=args.port,
    ).start()
    print(f"Slack UI:      {workspace.url}")
    print(f"Web API base:  {workspace.api_url}  (WebClient(base_url=...))")
    print(f"Events go to:  {workspace.events_url or '(nowhere: pass --events-url)'}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        workspace.stop()


if __name__ == "__main__":
    main()
