"""Generation on worker processes, over Celery.

The process that answers Slack never generates: it sends each engine call to a worker as a
Celery task and waits for the answer on its own dispatch thread. Workers are stateless apart
from the models they keep warm; images travel inside the messages, so a worker needs no
shared disk. ``python -m bot`` starts an embedded Redis and one worker process per GPU
(``embedded.py``); ``SLATE_BROKER_URL`` points the same code at a studio's Redis and any
number of ``python -m tools.worker`` processes on other machines.
"""

from tools.worker.app import GPU_QUEUE, celery_app
from tools.worker.calls import RemoteCaller, WorkerError, WorkerLost

__all__ = ["GPU_QUEUE", "RemoteCaller", "WorkerError", "WorkerLost", "celery_app"]
