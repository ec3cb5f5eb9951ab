"""元江县社会救助服务号: the WeChat assistant for social assistance (see README.md).

pypinyin keeps a second copy of its tables for custom dictionaries unless told not to; none is
ever loaded here, so the copy is skipped (see `bot/pinyin_tables.py`)."""

import os

os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
