"""Threat events: every threatens relation becomes a Threat with its medium,
quoted words, date and whether it is reported as a claim."""

from __future__ import annotations

import re

from .. import vocab
from ..facts import Evidence, Threat

CLAIM_CUES = {"claim", "claimed", "claims", "allegedly", "reportedly", "purportedly", "according",
              "purporting", "purported", "alleged", "said", "says", "reported", "suspected"}
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201d]{8,400})[\"\u201d]")


def threat_from(found, evidence: Evidence, media, date: str) -> Threat:
    """A Threat event for one threatens relation found in a sentence."""
    sent = found.sentence
    words = {t.lower_ for t in sent}
    quote = _QUOTE.search(sent.text)
    return Threat(
        actor=found.subject.key,
        target=found.object.key,
        evidence=evidence,
        medium=media[0].key if media else None,
        date=date,
        quote=quote.group(1).strip() if quote else "",
        claimed=bool(words & CLAIM_CUES),
    )


MEDIUM_PREPS = {"on", "via", "through", "onto", "across", "over"}
MEDIUM_NOUNS = {"account", "accounts", "channel", "channels", "page", "post", "posts", "video", "videos", "feed"}


def published_on(token) -> bool:
    """A name said as a medium: 'on Telegram', 'a Telegram channel'."""
    head = token.head
    return (token.dep_ == "pobj" and head.lower_ in MEDIUM_PREPS) or (
        token.dep_ in {"compound", "nmod"} and head.lower_ in MEDIUM_NOUNS)


def media_in(sentence_media, actor_platforms) -> list:
    """Platforms a threat went out on: said in the sentence, else the actor's known platforms."""
    here = [e for e in sentence_media if e.type == vocab.PLATFORM]
    return here or list(actor_platforms)
