"""What English looks like where the Russian edition must have none: its number formats and month
names (tests/test_russian.py reads the pages, tests/browser/test_pages.py the live charts)."""

import re

# "10,000" or "2.5": English digit grouping and decimal point (Russian writes «10 000», «2,5»).
ENGLISH_NUMBER = re.compile(r"(?<![\d.,/:#-])\d{1,3}(,\d{3})+(?![\d])|(?<![\d.,/:#-])\d+\.\d+(?![\d.])")
ENGLISH_MONTHS = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                            r"December)\b")
