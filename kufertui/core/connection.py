"""How kufertui talks to Maileon unless the settings say otherwise: the defaults that the settings
(config/model.py, ``MaileonSettings``) and the client (maileon/options.py, ``ClientOptions``) both start from."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.maileon.com/1.0"
DEFAULT_API_HOST = urlsplit(DEFAULT_BASE_URL).hostname or ""
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 120.0
BATCHES_IN_FLIGHT = 4  # upload batches at once
SINGLE_CALLS_IN_FLIGHT = 8  # single-contact calls at once: objection pushes, e-mail moves
REQUESTS_PER_SECOND = 0.0  # a hard ceiling; 0: none (the rate is learned from 429/503)
