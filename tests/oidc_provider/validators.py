from oauth2_provider.oauth2_validators import OAuth2Validator

# A client whose id ends with this is told the person used MFA (amr "mfa"); others get only "pwd".
MFA_CLIENT_SUFFIX = "-mfa"


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request):
        amr = ["pwd", "mfa"] if request.client.client_id.endswith(MFA_CLIENT_SUFFIX) else ["pwd"]
        return {"email": request.user.email, "email_verified": True, "amr": amr}
