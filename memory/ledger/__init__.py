"""The shot ledger: projects, shots, versions and approvals, recorded transactionally."""

from memory.ledger.boards import Board, BoardBook  # noqa: F401  (its table is made with the others)
from memory.ledger.images import ImageStore
from memory.ledger.jobs import JobBook
from memory.ledger.models import Approval, Character, Job, Project, Shot, Style, Version
from memory.ledger.scores import ConsistencyPoint, DriftScore, consistency_over_time, record_drift  # noqa: F401
from memory.ledger.store import Ledger, NewVersion, ThreadRef

__all__ = [
    "Approval",
    "Character",
    "ImageStore",
    "Job",
    "JobBook",
    "Ledger",
    "NewVersion",
    "Project",
    "Shot",
    "Style",
    "ThreadRef",
    "Version",
]
