"""Dates as exports write them: month names in seven languages, Chinese and Japanese dates with weekdays, a date
inside a sentence, relative dates, UTC offsets that change within a column; impossible dates are missing."""

from __future__ import annotations

import pandas as pd
import pytest

from insight.data.read import read_table
from insight.data.types import parse_dates, parse_types

NOW = pd.Timestamp("2024-02-02 12:00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-01-01 星期五", "2018-01-01"),
        ("2018年6月21日 22:35", "2018-06-21 22:35"),
        ("2024/03/05 (火)", "2024-03-05"),
        ("3 März 2024", "2024-03-03"),
        ("3. März 2021", "2021-03-03"),
        ("25 janv. 2025 à 07:05", "2025-01-25 07:05"),
        ("3 déc. 2024 à 18:20", "2024-12-03 18:20"),
        ("12 juil. 2024", "2024-07-12"),
        ("3 de março de 2021", "2021-03-03"),
        ("20 de noviembre de 2020", "2020-11-20"),
        ("Revisado en España el 20 de noviembre de 2020", "2020-11-20"),
        ("5 maggio 2023", "2023-05-05"),
        ("3 maart 2021", "2021-03-03"),
        ("17 okt 2022", "2022-10-17"),
        ("Mon, 5 Feb 2024", "2024-02-05"),
        ("31-Jul-18", "2018-07-31"),
        ("14-JUL-08", "2008-07-14"),
        ("2019/10/01 12:38:43 PM GMT+8", "2019-10-01 12:38:43"),
        ("Há 2 dias", "2024-01-31 12:00"),
        ("hace 3 días", "2024-01-30 12:00"),
        ("il y a 2 jours", "2024-01-31 12:00"),
        ("vor 5 Stunden", "2024-02-02 07:00"),
    ],
)
def test_dates_in_words_and_with_extras(text, expected):
    assert parse_dates(pd.Series([text]), now=NOW).iloc[0] == pd.Timestamp(expected)


def test_changing_utc_offsets_keep_the_local_time_and_never_crash():
    values = pd.Series(["2014-11-25 14:45:53 +1100", "2015-06-25 09:00:00 +1000", "2016-01-02T03:04:05Z"])
    parsed = parse_dates(values)
    assert str(parsed.dtype) == "datetime64[ns]"
    assert parsed.tolist() == [
        pd.Timestamp(v) for v in ("2014-11-25 14:45:53", "2015-06-25 09:00", "2016-01-02 03:04:05")
    ]


def test_impossible_dates_are_missing_and_counted_with_examples():
    data = "day,amount\n" + "".join(f"2018-02-{d:02d} 星期{'一二三四五六日'[d % 7]},{d}\n" for d in range(1, 29))
    data += "2018-02-29 星期四,29\n2018-02-30 星期五,30\n"
    typed, report = parse_types(read_table("sales.csv", data.encode())[0])
    assert report.kinds["day"] == "datetime" and report.unparsed == {"day": 2}
    assert report.examples["day"] == ["2018-02-29 星期四", "2018-02-30 星期五"]
    assert typed["day"].iloc[0] == pd.Timestamp("2018-02-01")


def test_quoted_line_breaks_stay_inside_their_cell():
    """Hypothesis found it: quoted newlines were split as lines, giving 2 unnamed columns and 4 rows."""
    df, report = read_table("x.csv", b'col0_name,col1_name,col2_name\nR0,"\n",\nR1,"\n",\n')
    assert list(df.columns) == ["col0_name", "col1_name", "col2_name"] and report.header
    assert df["col0_name"].tolist() == ["R0", "R1"] and df["col1_name"].tolist() == ["\n", "\n"]
