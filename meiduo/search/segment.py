"""Chinese word segmentation with rjieba (jieba-rs: jieba's dictionary and algorithm, in Rust), once per process.

rjieba gives jieba's words (the same dictionary, HMM and search mode) from a
dictionary held in about 34 MB instead of jieba's 74 MB per process
(docs/performance.md), and segments faster.

Words are lower-cased runs of letters and digits (jieba's `12GB+256GB` gives
`12gb`, `256gb`), so both search engines see the same words and a word never
needs quoting. The web entry point (config/wsgi.py) calls `warm_up()` so no
request pays for loading the dictionary.
"""

import re
import threading
from functools import lru_cache

import rjieba

_lock = threading.Lock()
_ready = False
_WORD = re.compile(r"[^\W_]+")
# Mark a word of a document's title / a word only in its caption in the index: private-use characters,
# never part of a word.
TITLE_MARK, CAPTION_MARK = "\ue000", "\ue001"


def warm_up() -> None:
    """Load the dictionary now (a fraction of a second, once per process); later calls return at once."""
    global _ready  # noqa: PLW0603 - a process-wide, load-once dictionary
    if not _ready:
        with _lock:
            if not _ready:
                rjieba.cut("预热")  # the first cut builds the process's dictionary
                _ready = True


def _words(tokens: list[str]) -> list[str]:
    """The letter/digit runs of jieba's tokens, lower-cased; whitespace and punctuation dropped."""
    return [word for token in tokens for word in _WORD.findall(token.lower())]


@lru_cache(maxsize=65536)
def _index_words_of_chunk(chunk: str) -> tuple[str, ...]:
    """Search-mode words of one whitespace-free chunk (catalog names repeat their chunks a lot)."""
    warm_up()
    return tuple(_words(rjieba.cut_for_search(chunk)))


def words_for_index(text: str) -> list[str]:
    """Every word of the text, including the shorter words inside long ones (华为手机 → 华为, 手机).

    jieba never joins characters across whitespace, so segmenting chunk by chunk
    (and remembering chunks) gives the same words as segmenting the whole text.
    """
    return [word for chunk in text.split() for word in _index_words_of_chunk(chunk)]


def words_for_query(text: str) -> list[str]:
    """The distinct words of a query, in precise mode; each is found among an indexed text's words."""
    warm_up()
    return list(dict.fromkeys(_words(rjieba.cut(text))))
