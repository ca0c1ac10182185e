"""A hand-written 2026 CIN census return (what another system would send), valid against the schema
and the DfE rules, covering what the import must carry: disabilities, UPN unknown, an unborn baby,
assessments with factors, a section 47 with its initial conference, a repeat CP plan with a
category change and a review, a CIN plan, a closure and a front-door no further action."""

from cases.validators import upn_check_letter


def upn(digits):
    return upn_check_letter(digits) + digits


VALID_RETURN = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>931</LEA><SoftwareCode>Other system</SoftwareCode><Release>9</Release><SerialNo>001</SerialNo><DateTime>2026-04-02T09:00:00</DateTime></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>A100</LAchildID><UPN>{upn_a}</UPN><PersonBirthDate>2014-03-02</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>MOB</Disability><Disability>LD</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
        <CINclosureDate>2025-12-02</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>
        <Assessments><AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate><AssessmentAuthorisationDate>2025-06-10</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>16A</AssessmentFactors><AssessmentFactors>4B</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
        <CINPlanDates><CINPlanStartDate>2025-06-12</CINPlanStartDate><CINPlanEndDate>2025-12-01</CINPlanEndDate></CINPlanDates>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>B200</LAchildID><UPN>{upn_b}</UPN><PersonBirthDate>2019-08-09</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>MWBC</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-06-15</CINreferralDate><ReferralSource>6</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments><AssessmentActualStartDate>2025-06-16</AssessmentActualStartDate><AssessmentAuthorisationDate>2025-07-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>3B</AssessmentFactors><AssessmentFactors>16A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
        <Section47><S47ActualStartDate>2025-06-20</S47ActualStartDate><InitialCPCtarget>2025-07-11</InitialCPCtarget><DateOfInitialCPC>2025-07-01</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired></Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans><CPPstartDate>2025-07-01</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP><Reviews><CPPreviewDate>2025-10-01</CPPreviewDate></Reviews></ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>C300</LAchildID><ExpectedPersonBirthDate>2026-05-20</ExpectedPersonBirthDate><Sex>U</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>NOBT</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2026-01-05</CINreferralDate><ReferralSource>3B</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments><AssessmentActualStartDate>2026-01-05</AssessmentActualStartDate></Assessments>
        <Section47><S47ActualStartDate>2026-01-06</S47ActualStartDate><InitialCPCtarget>2026-02-03</InitialCPCtarget><DateOfInitialCPC>2026-02-02</DateOfInitialCPC><ICPCnotRequired>0</ICPCnotRequired></Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans><CPPstartDate>2026-02-02</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>D400</LAchildID><UPN>{upn_d}</UPN><PersonBirthDate>2012-01-01</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>AIND</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-09-01</CINreferralDate><ReferralSource>2A</ReferralSource>
        <CINclosureDate>2025-09-03</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>
        <ReferralNFA>1</ReferralNFA>
      </CINdetails>
    </Child>
  </Children>
</Message>
""".format(upn_a=upn("931000000052"), upn_b=upn("931000000062"), upn_d=upn("931000000072"))
