import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from innovaction import permissions
from innovaction.models import User
from innovaction.roles import Role


@pytest.mark.django_db
def test_the_five_role_groups_exist_with_their_model_permissions():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    assert set(Role.values) <= set(groups)
    assert groups["admin"].permissions.count() == Permission.objects.count()
    for reader in ("cabinet", "elected"):
        codenames = {p.codename for p in groups[reader].permissions.all()}
        assert all(code.startswith("view_") for code in codenames)
        assert {p.content_type.app_label for p in groups[reader].permissions.all()} <= {
            "portfolio",
            "partners",
            "scorecard",
        }
    lead_actions = {p.codename.split("_")[0] for p in groups["lead"].permissions.all()}
    assert "delete" not in lead_actions


# The site-wide rules as a role-by-rule matrix: each row is what SPEC §2 says.
RULES = {
    "can_write": {Role.ADMIN: True, Role.DIRECTOR: True, Role.LEAD: True, Role.CABINET: False, Role.ELECTED: False},
    "is_director": {Role.ADMIN: False, Role.DIRECTOR: True, Role.LEAD: False, Role.CABINET: False, Role.ELECTED: False},
    "can_use_admin": {
        Role.ADMIN: True,
        Role.DIRECTOR: False,
        Role.LEAD: False,
        Role.CABINET: False,
        Role.ELECTED: False,
    },
    "sees_all_confidential": {
        Role.ADMIN: True,
        Role.DIRECTOR: True,
        Role.LEAD: False,
        Role.CABINET: True,
        Role.ELECTED: False,
    },
    "can_see_contact_details": {
        Role.ADMIN: True,
        Role.DIRECTOR: True,
        Role.LEAD: True,
        Role.CABINET: True,
        Role.ELECTED: False,
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(RULES))
def test_site_rules_by_role(make_user, rule):
    for role, expected in RULES[rule].items():
        assert getattr(permissions, rule)(make_user(role)) is expected, (rule, role)


@pytest.mark.django_db
def test_a_user_with_several_roles_gets_the_union(make_user):
    user = make_user(Role.LEAD, Role.ELECTED)
    assert permissions.can_write(user)
    assert user.primary_role == Role.LEAD
    assert user.role_labels == ["Chef·fe de projet", "Élu·e"]


@pytest.mark.django_db
def test_an_inactive_user_has_no_role(make_user):
    user = make_user(Role.DIRECTOR, is_active=False)
    user = User.objects.get(pk=user.pk)
    assert not permissions.is_director(user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "template", "label"),
    [
        (Role.ADMIN, "innovaction/home_admin.html", "Administrateur"),
        (Role.DIRECTOR, "innovaction/home_director.html", "Direction DADI"),
        (Role.LEAD, "innovaction/home_lead.html", "Chef·fe de projet"),
        (Role.CABINET, "innovaction/home_reader.html", "Cabinet du maire"),
        (Role.ELECTED, "innovaction/home_reader.html", "Élu·e"),
    ],
)
def test_each_role_has_its_home_page(client_for, make_user, role, template, label):
    response = client_for(make_user(role, first_name="Camille")).get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert "Bonjour Camille" in response.text
    assert label in response.text
    has_admin_link = 'href="/admin/"' in response.text
    assert has_admin_link is (role == Role.ADMIN)


@pytest.mark.django_db
def test_a_user_without_role_is_told_whom_to_ask(client_for, make_user):
    response = client_for(make_user()).get(reverse("home"))
    assert "Aucun rôle ne vous est encore attribué" in response.text


@pytest.mark.django_db
def test_admin_home_counts_active_accounts_per_role(client_for, make_user, admin_user):
    make_user(Role.LEAD)
    make_user(Role.LEAD)
    make_user(Role.LEAD, is_active=False)
    response = client_for(admin_user).get(reverse("home"))
    rows = {row["role"]: row["count"] for row in response.context["role_counts"]}
    assert rows[Role.LEAD] == 2 and rows[Role.ADMIN] == 1 and rows[Role.ELECTED] == 0
