from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from agencies import access

from .selectors import case_team


@login_required
def case_detail(request, case_id):
    case = access.access_case(request.user, case_id, action="view", request=request)
    return render(request, "cases/case_detail.html", {"case": case, "team": case_team(case=case)})
