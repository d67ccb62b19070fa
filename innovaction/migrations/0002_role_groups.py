from django.db import migrations

ROLES = ["admin", "director", "lead", "cabinet", "elected"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    """The five role groups of SPEC §2. Their model permissions are synchronised after each
    migrate from innovaction.roles.ROLE_MODEL_PERMISSIONS (permissions only exist then)."""

    dependencies = [("innovaction", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
