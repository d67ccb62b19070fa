"""Demo data of the core app: the organisation and one user per role, with known passwords."""

import functools

from django.conf import settings
from django.contrib.auth.hashers import make_password

from innovaction.models import Organisation, User
from innovaction.roles import Role
from innovaction.services import user_set_roles

DEMO_PASSWORD = "demo-innovaction"  # noqa: S105 (printed by make run, demo only)

DEMO_USERS = [
    ("admin@demo.innovaction.fr", "Alex", "Informatique", [Role.ADMIN]),
    ("direction@demo.innovaction.fr", "Claire", "Morel", [Role.DIRECTOR]),
    ("cheffe.projet@demo.innovaction.fr", "Nadia", "Benali", [Role.LEAD]),
    ("cabinet@demo.innovaction.fr", "Julien", "Roche", [Role.CABINET]),
    ("elu@demo.innovaction.fr", "Marie", "Faure", [Role.ELECTED]),
]


def demo_password_hash() -> str:
    """The demo password hashed once for all the demo accounts (per process and hasher setting):
    PBKDF2 takes a third of a second per hash by design and the demo has twelve accounts, whose
    password is printed for everyone anyway."""
    return _hashed(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hashed(hashers: tuple[str, ...]) -> str:
    return make_password(DEMO_PASSWORD)


def create_demo_user(email: str, first_name: str, last_name: str) -> User:
    return User.objects.create_user(
        email, hashed_password=demo_password_hash(), first_name=first_name, last_name=last_name
    )


def _holds_demo_password(user: User, verified: set[str]) -> bool:
    """Whether the account's password is the demo one; a stored hash is checked once per
    seeding (`verified`), the accounts that share it are not checked again."""
    if user.password not in verified and user.check_password(DEMO_PASSWORD):
        verified.add(user.password)
    return user.password in verified


def seed() -> list[tuple[str, str, str]]:
    """Create or refresh the demo organisation and users; returns (role, e-mail, password).
    What already holds is left alone, so that seeding again writes nothing (no history row)."""
    organisation = Organisation.objects.order_by("pk").first() or Organisation()
    wanted = {
        "name": "Ville de Romans-sur-Isère",
        "department_name": "DADI — Direction de l'Attractivité, du Développement et de l'Innovation",
        "network_name": "InvestInRomans",
        "contact_email": "dadi@demo.innovaction.fr",
    }
    if organisation.pk is None or any(getattr(organisation, field) != value for field, value in wanted.items()):
        for field, value in wanted.items():
            setattr(organisation, field, value)
        organisation.save()

    logins = []
    verified: set[str] = set()
    for email, first_name, last_name, roles in DEMO_USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = create_demo_user(email, first_name, last_name)
        elif not user.is_active or not _holds_demo_password(user, verified):
            user.password = demo_password_hash()
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
        user_set_roles(user=user, roles=roles)
        logins.append((", ".join(str(Role(r).label) for r in roles), email, DEMO_PASSWORD))
    return logins
