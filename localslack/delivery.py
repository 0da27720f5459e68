"""Signed Events API delivery with Slack's retry rules.

Slack waits 3 s for a 2xx. Without one it resends the same body (same
event_id) with X-Slack-Retry-Num 1..3 and X-Slack-Retry-Reason, about at
once, then after ~1 min, then ~5 min; a timeout retry goes out while the
first request is still running. A non-2xx answer carrying X-Slack-No-Retry: 1
stops the retries. Each attempt is signed afresh (new timestamp, same body).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from urllib.error import HTTPError, URLError

from slack_sdk.signature import SignatureVerifier

USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
FORM = "application/x-www-form-urlencoded"
IN_FLIGHT_TIMEOUT_S = 120.0  # how long a slow bot may keep a request open after its retries started


@dataclass
class Attempt:
    """One POST to the bot (or one Socket Mode envelope), as recorded in `deliveries`."""

    event_id: str
    event_type: str
    retry_num: int  # 0 for the first attempt
    retry_reason: str | None
    status: int  # HTTP status; 0 when no answer came (timeout, refused connection)
    no_retry: bool
    elapsed_s: float
    envelope_id: str | None = None  # Socket Mode only; status 200 there means the app acked it


@dataclass
class Answer:
    """The bot's HTTP answer to one POST."""

    status: int
    no_retry: bool
    body: bytes
    failure: str | None  # "http_timeout" / "connection_failed" when there was no HTTP answer


class EventDelivery:
    """Posts signed envelopes to the bot's events URL and keeps a log of every attempt."""

    def __init__(
        self,
        signing_secret: str,
        *,
        events_url: Callable[[], str | None],
        retry_timeout_s: float,
        retry_delays_s: tuple[float, ...],
    ) -> None:
        self._verifier = SignatureVerifier(signing_secret)
        self._events_url = events_url
        self.retry_timeout_s = retry_timeout_s
        self.retry_delays_s = tuple(retry_delays_s)[:3]
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._attempts: list[Attempt] = []
        # Loopback only: never route deliveries through an HTTP(S)_PROXY from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    @property
    def deliveries(self) -> list[dict]:
        with self._lock:
            return [asdict(a) for a in self._attempts]

    def record(self, attempt: Attempt) -> None:
        with self._lock:
            self._attempts.append(attempt)

    def resume(self) -> None:
        """Allow retries again after `stop` (a workspace started a second time)."""
        self._stopped.clear()

    def stop(self) -> None:
        """Cancel pending retries; requests already in flight finish on their own threads."""
        self._stopped.set()

    # ---- one request -----------------------------------------------------

    def send(
        self,
        envelope: dict,
        *,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        timeout_s: float = 30.0,
    ) -> int:
        """One signed POST, no retries; the HTTP status (0 when there is no events URL or no answer)."""
        url = self._events_url()
        if url is None:
            return 0
        return self._post(url, _encode(envelope), envelope, retry_num or 0, retry_reason, timeout_s).status

    def post_form(self, body: bytes, timeout_s: float) -> Answer:
        """One signed form POST (interactivity, slash commands) to the events URL, never retried.

        Slack waits `timeout_s` (3 s) for the app's answer, then gives up on it:
        the answer's `failure` is then "http_timeout".
        """
        url = self._events_url()
        if url is None:
            return Answer(0, False, b"", "connection_failed")
        return self._post(url, body, {}, 0, None, timeout_s, record=False, content_type=FORM)

    def challenge(self, url: str, payload: dict) -> bytes:
        """POST a url_verification payload and return the raw answer body."""
        answer = self._post(url, _encode(payload), payload, 0, None, self.retry_timeout_s, record=False)
        return answer.body

    # ---- with Slack's retries --------------------------------------------

    def dispatch(self, envelope: dict) -> threading.Thread | None:
        """Deliver on a background thread, retrying like Slack; None when no events URL is set."""
        if self._events_url() is None:
            return None
        thread = threading.Thread(
            target=self._deliver_with_retries, args=(envelope,), name="slack-event-delivery", daemon=True
        )
        thread.start()
        return thread

    def _deliver_with_retries(self, envelope: dict) -> None:
        body = _encode(envelope)
        reason: str | None = None
        for retry_num in range(len(self.retry_delays_s) + 1):
            if retry_num and self._stopped.wait(self.retry_delays_s[retry_num - 1]):
                return
            url = self._events_url()
            if url is None or self._stopped.is_set():
                return
            reason = self._attempt(url, body, envelope, retry_num, reason)
            if reason is None:
                return

    def _attempt(
        self, url: str, body: bytes, envelope: dict, retry_num: int, reason: str | None
    ) -> str | None:
        """Run one POST on its own thread; the retry reason, or None when no retry is due.

        Waiting only `retry_timeout_s` for the answer (not for the thread) is what
        lets a timeout retry overlap the first request, as on Slack.
        """
        answers: list[Answer] = []
        done = threading.Event()

        def post() -> None:
            answers.append(self._post(url, body, envelope, retry_num, reason, IN_FLIGHT_TIMEOUT_S))
            done.set()

        threading.Thread(target=post, name="slack-event-attempt", daemon=True).start()
        if not done.wait(self.retry_timeout_s):
            return "http_timeout"
        answer = answers[0]
        if answer.failure:
            return answer.failure
        if 200 <= answer.status < 300 or answer.no_retry:
            return None
        return "http_error"

    # ---- transport -------------------------------------------------------

    def _post(
        self,
        url: str,
        body: bytes,
        envelope: dict,
        retry_num: int,
        retry_reason: str | None,
        timeout_s: float,
        *,
        record: bool = True,
        content_type: str = "application/json",
    ) -> Answer:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "User-Agent": USER_AGENT,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": self._verifier.generate_signature(timestamp=timestamp, body=body) or "",
        }
        if retry_num:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_error"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        started = time.monotonic()
        try:
            with self._opener.open(request, timeout=timeout_s) as response:
                answer = Answer(response.status, _no_retry(response.headers), response.read(), None)
        except HTTPError as error:
            answer = Answer(error.code, _no_retry(error.headers), error.read(), None)
        except TimeoutError:
            answer = Answer(0, False, b"", "http_timeout")
        except (URLError, OSError):
            answer = Answer(0, False, b"", "connection_failed")
        if record:
            attempt = Attempt(
                event_id=str(envelope.get("event_id", "")),
                event_type=str(envelope.get("event", {}).get("type", envelope.get("type", ""))),
                retry_num=retry_num,
                retry_reason=retry_reason if retry_num else None,
                status=answer.status,
                no_retry=answer.no_retry,
                elapsed_s=round(time.monotonic() - started, 3),
            )
            self.record(attempt)
        return answer


def _encode(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def _no_retry(headers) -> bool:
    return (headers.get("X-Slack-No-Retry") or "").strip() == "1"
