"""Chinese word segmentation with jieba, initialised once, lazily and quietly."""

import logging
import threading

import jieba

_lock = threading.Lock()
_ready = False


def _tokenizer() -> jieba.Tokenizer:
    """The shared jieba tokenizer, with its dictionary loaded on first use (without jieba's chatter)."""
    global _ready  # noqa: PLW0603 - a process-wide, load-once dictionary
    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba.dt


def _keep(token: str) -> bool:
    """Keep words; drop whitespace and punctuation."""
    return any(char.isalnum() for char in token)


def words_for_index(text: str) -> list[str]:
    """Every word of the text, including the shorter words inside long ones (华为手机 → 华为, 手机)."""
    return [token.lower() for token in _tokenizer().cut_for_search(text) if _keep(token)]


def words_for_query(text: str) -> list[str]:
    """The words of a query, in precise mode; each is found among an indexed text's words."""
    words = [token.lower() for token in _tokenizer().cut(text) if _keep(token)]
    return list(dict.fromkeys(words))
