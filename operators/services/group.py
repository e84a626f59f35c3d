from django.contrib.auth.models import Group, Permission

from operators.permissions import GROUP_PERMISSIONS, OPERATORS_GROUP


def operators_group_ensure() -> Group:
    """Create or repair the `operators` group so it holds exactly GROUP_PERMISSIONS."""
    group, _ = Group.objects.get_or_create(name=OPERATORS_GROUP)
    wanted = [
        Permission.objects.get(content_type__app_label=app, content_type__model=model, codename=codename)
        for app, model, codename in GROUP_PERMISSIONS
    ]
    group.permissions.set(wanted)
    return group
