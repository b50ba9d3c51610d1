"""web.addresses: objects' addresses, remembered per process."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from web.addresses import address_of


def test_it_gives_what_reverse_gives():
    assert address_of("articles:detail", 12, "로봇") == reverse(
        "articles:detail", args=[12, "로봇"]
    )
    assert address_of("articles:section", "industry") == reverse(
        "articles:section", args=["industry"]
    )


def test_the_script_prefix_is_part_of_the_answer():
    try:
        set_script_prefix("/news/")
        assert address_of("articles:detail_short", 7).startswith("/news/")
    finally:
        set_script_prefix("/")
    assert not address_of("articles:detail_short", 7).startswith("/news/")


def test_an_address_that_does_not_exist_raises_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        address_of("articles:detail", "not-a-number", "x")
