"""Maileon side: async client, XML build/parse, typed errors, pipelined upload."""

from .client import MaileonClient
from .errors import (
    AuthError,
    BadRequest,
    Conflict,
    MaileonError,
    MalformedResponse,
    NetworkError,
    NotFound,
    PermissionDeniedError,
    ProxyAuthError,
    ProxyError,
    RateLimited,
    RequestTimeout,
    ServerError,
    TLSError,
)
from .options import ClientOptions
from .uploader import BatchResult, UploadSummary, upload_batches
from .xml import InvalidContact, MaileonContact, RemoteContact, SyncReport, Unsubscription, build_sync_body

__all__ = [
    "AuthError", "BadRequest", "BatchResult", "ClientOptions", "Conflict", "InvalidContact",
    "MaileonClient", "MaileonContact", "MaileonError", "MalformedResponse", "NetworkError", "NotFound",
    "PermissionDeniedError", "ProxyAuthError", "ProxyError", "RateLimited", "RemoteContact",
    "RequestTimeout", "ServerError", "SyncReport", "TLSError", "Unsubscription", "UploadSummary",
    "build_sync_body", "upload_batches",
]
