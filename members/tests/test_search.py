"""The site search over members' names: "contains", through an index of the names' characters on PostgreSQL."""

import pytest
from django.db import connection

from members import selectors
from members.tests.factories import admitted_member

pytestmark = pytest.mark.django_db

NAME = "北京市海淀区实验学校 COP"


@pytest.fixture
def member():
    return admitted_member(unit_name=NAME)[0]


@pytest.mark.parametrize("term", ["海淀", "海", "海淀区实验", "cop", "校 C", NAME])
def test_a_name_is_found_by_any_part_of_it(member, term):
    assert list(selectors.member_search(term)) == [member]


@pytest.mark.parametrize("term", ["淀海", "海区", "海淀中学", "copx"])
def test_a_name_is_not_found_by_its_characters_in_another_order_or_apart(member, term):
    assert list(selectors.member_search(term)) == []


@pytest.mark.parametrize("term", ["海淀", "海"])
def test_a_two_character_word_is_looked_up_in_the_index_not_by_reading_every_member(member, term):
    if connection.vendor != "postgresql":
        pytest.skip("the index is PostgreSQL's")
    # The search asks for the indexed expression, and the database can answer that from the index.
    sql, _params = selectors.member_search(term).query.sql_with_params()
    condition = 'members_name_grams("members_member"."name") @>'
    assert condition in sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT id FROM members_member WHERE {condition} %s::text[]",
                       [selectors.name_grams(term)])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "member_name_grams" in plan
