from django.contrib.auth.models import AnonymousUser

from labs.roles import Role, has_role, role_of


def test_visitor_has_the_visitor_role(lab):
    assert role_of(AnonymousUser(), lab) == Role.VISITOR


def test_signed_in_user_without_lab_is_a_contributor(contributor, lab):
    assert role_of(contributor, lab) == Role.CONTRIBUTOR


def test_member_is_member_of_own_lab_only(member, lab, other_lab):
    assert role_of(member, lab) == Role.MEMBER
    assert role_of(member, other_lab) == Role.CONTRIBUTOR


def test_facilitator_of_another_lab_is_only_a_contributor_here(outsider, lab):
    assert role_of(outsider, lab) == Role.CONTRIBUTOR


def test_coordinator_acts_in_every_lab(coordinator, lab, other_lab):
    assert has_role(coordinator, Role.FACILITATOR, lab)
    assert has_role(coordinator, Role.FACILITATOR, other_lab)


def test_deactivated_account_has_no_rights(facilitator, lab):
    facilitator.is_active = False
    assert role_of(facilitator, lab) == Role.VISITOR


def test_admin_outranks_every_role(admin_user, lab):
    assert role_of(admin_user, lab) == Role.ADMIN
    assert has_role(admin_user, Role.COORDINATOR)


def test_labs_editable_by_follow_the_roles(facilitator, member, outsider, coordinator, lab, other_lab):
    from labs.models import Lab

    assert list(Lab.objects.editable_by(facilitator)) == [lab]
    assert list(Lab.objects.editable_by(member)) == []
    assert list(Lab.objects.editable_by(outsider)) == [other_lab]
    assert set(Lab.objects.editable_by(coordinator)) == {lab, other_lab}
    assert list(Lab.objects.editable_by(AnonymousUser())) == []
