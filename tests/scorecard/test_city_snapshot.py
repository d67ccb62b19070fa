"""The hand-built city is restored from a snapshot made once per process (tests/conftest.py)."""

import pytest


@pytest.mark.django_db
def test_the_city_refuses_to_replace_rows_a_test_wrote_before_it(make_user, request):
    make_user()
    with pytest.raises(pytest.fail.Exception, match="La fixture `city` remplace toute la base"):
        request.getfixturevalue("city")
