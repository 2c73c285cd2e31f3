"""Presidio's e-mail recogniser, validating domains without touching the network.

Presidio's own :class:`EmailRecognizer` validates a match with ``tldextract.extract``, whose
default extractor downloads the public-suffix list at first use (it fails, slowly, offline, and
would tell a third party that the service is running). This one uses a private extractor that
reads the suffix list bundled with ``tldextract`` and keeps no cache on disk.
"""

from __future__ import annotations

import threading

from presidio_analyzer.predefined_recognizers import EmailRecognizer
from tldextract import TLDExtract

_lock = threading.Lock()
_extractor: TLDExtract | None = None


def offline_extractor() -> TLDExtract:
    """One shared extractor over the bundled suffix list: no URLs, no disk cache."""
    global _extractor
    with _lock:
        if _extractor is None:
            _extractor = TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)
        return _extractor


class OfflineEmailRecognizer(EmailRecognizer):
    """E-mail addresses with a real public suffix, checked offline."""

    def validate_result(self, pattern_text: str) -> bool:
        """True when the address ends in a known domain suffix (``example.com``, ``ac.uk``)."""
        return bool(offline_extractor()(pattern_text).fqdn)
