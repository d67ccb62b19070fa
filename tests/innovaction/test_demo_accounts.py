"""The demo accounts that `make run` prints: each opens with the demo password, hashed once for
all of them (PBKDF2 takes a third of a second per hash, the demo has twelve accounts)."""

import pytest

from innovaction import demo
from innovaction.models import User


@pytest.fixture
def password_checks(monkeypatch):
    """How many times a password is checked against its stored hash."""
    calls = []
    check = User.check_password

    def counted(user, raw):
        calls.append(user.email)
        return check(user, raw)

    monkeypatch.setattr(User, "check_password", counted)
    return calls


@pytest.mark.django_db
def test_the_twelve_demo_accounts_share_one_hash_of_the_demo_password(demo_data):
    accounts = list(User.objects.filter(email__endswith="@demo.innovaction.fr"))
    assert len(accounts) == 12
    assert len({user.password for user in accounts}) == 1
    assert all(user.check_password(demo.DEMO_PASSWORD) for user in accounts)


@pytest.mark.django_db
def test_seeding_again_checks_the_shared_hash_once_and_gives_a_changed_password_back(demo_data, password_checks):
    demo.seed()
    assert len(password_checks) == 1  # five accounts, one stored hash

    cabinet = User.objects.get(email="cabinet@demo.innovaction.fr")
    cabinet.set_password("un autre mot de passe")
    cabinet.save()
    password_checks.clear()
    demo.seed()
    assert len(password_checks) == 2  # the shared hash, and the cabinet's own
    cabinet.refresh_from_db()
    assert cabinet.check_password(demo.DEMO_PASSWORD)
