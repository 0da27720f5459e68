"""The Web API client Slate uses: pointed at ``SLACK_API_URL``, and patient with rate limits."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler


def web_client(token: str, api_url: str) -> WebClient:
    """slack-sdk retries connection errors only by default; Slack's 429s need their own handler."""
    return WebClient(
        token=token,
        base_url=api_url,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=3)],
    )
