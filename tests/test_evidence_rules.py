"""Rules for what pages say where their tables are silent or wrong, each on a page excerpt."""

# Rules that read what the pages say where their tables are silent or wrong (FORMAT.md,
# "Generator bugs"), each on page excerpts shaped as the real pages are.
#
# Every excerpt keeps the real page's heading, table and sample lines; only the parts a rule does
# not read (headers, status tables) are cut short.

from __future__ import annotations

import json

from support.pages import RESPONSE_200, TABLE, build, component, endpoint, page


def ref_name(schema) -> str:
    """The component a property schema points at, through nullability and descriptions."""
    for alt in schema.get("anyOf", [schema]):
        if "$ref" in alt:
            return alt["$ref"].rsplit("/", 1)[1]
    return ""


# -- bodies that are only a name and a sentence ------------------------------------------------


def test_lone_body_of_primary_keys_is_an_array_of_integers():
    text = page(
        "v1AssociateAgent_GetAssociateList",
        "POST /api/v1/Agents/Associate/GetAssociateList",
        body="## Request Body: associateIds \n\nThe primary keys. \n\n",
    )
    api, _ = build(("restful/agent/Associate_Agent/a.md", text))
    body = endpoint(api, "v1AssociateAgent_GetAssociateList").body
    # null as an item: the real API sends and accepts it in any array.
    assert body.schema == {
        "type": "array",
        "items": {"type": ["integer", "null"], "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1},
    }
    assert body.description == "The primary keys."
    assert not [c for c in api.components if c.name.endswith("Request")], "no empty shared request model"


def test_lone_body_string_ids_and_names_are_arrays_of_strings():
    ids = page(
        "v1ListAgent_GetStrings",
        "POST /api/v1/Agents/List/GetStrings",
        body=(
            "## Request Body: sr_ids \n\nThe string names: ['SR_YES', 'SR_NO' etc]. You can "
            "specify multiple string ids in the array \n\n"
        ),
    )
    names = page(
        "v1LicenseAgent_Assign",
        "POST /api/v1/Agents/License/Assign",
        body="## Request Body: moduleLicenseNames \n\nName of module licenses to assign \n\n",
    )
    api, _ = build(("restful/agent/List_Agent/a.md", ids), ("restful/agent/License_Agent/b.md", names))
    strings = {"type": "array", "items": {"type": ["string", "null"]}}
    assert endpoint(api, "v1ListAgent_GetStrings").body.schema == strings
    assert endpoint(api, "v1LicenseAgent_Assign").body.schema == strings


def _execute_script_pages() -> tuple[str, str]:
    """CRMScript's ExecuteScript: the agent page, whose `Parameters` sample is a dictionary
    (under a stale type name), and the REST page whose body is only that argument's name."""
    agent = page(
        "v1CRMScriptAgent_ExecuteScript",
        "POST /api/v1/Agents/CRMScript/ExecuteScript",
        body="""\
                 ## Request Body: request 

                 CRMScriptId, Parameters 

                 | Property Name | Type |  Description |
                 |----------------|------|--------------|
                 | CRMScriptId | Integer |  |
                 | Parameters | PersonEntity |  |

                 """,
        sample_request={"CRMScriptId": 1, "Parameters": {"Parameters1": "veniam", "Parameters2": "eum"}},
    )
    rest = page(
        "v1CRMScriptEntity_ExecuteScript",
        "POST /api/v1/CRMScript/{cRMScriptId}/Execute",
        body="## Request Body: parameters \n\nParameters passed as variables to the CRMScript \n\n",
    )
    return agent, rest


def test_lone_body_takes_the_type_another_page_gives_the_same_argument():
    # The REST page's `parameters` is the agent page's `Parameters` property, whose sample
    # shows a dictionary (and whose type cell is a stale name).
    agent, rest = _execute_script_pages()
    api, diags = build(("restful/agent/CRMScript_Agent/a.md", agent), ("restful/rest/CRMScript/b.md", rest))
    dictionary = {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
    assert endpoint(api, "v1CRMScriptEntity_ExecuteScript").body.schema == dictionary
    wrapper = component(api, "ExecuteScriptRequest")["properties"]["Parameters"]
    assert wrapper["anyOf"][0] == dictionary
    assert any(d.code == "DG204" and "dictionary" in d.message for d in diags)


def test_lone_stream_body_is_bytes_raw_or_base64_in_json():
    text = page(
        "v1AttachmentEntity_UploadAttachment",
        "POST /api/v1/Attachment/UploadAttachment",
        body="""\
                ## Request Headers

                | Parameter Name | Description |
                |----------------|-------------|
                | Content-Type | Content-type of the request body: `application/json`, `text/json`, `application/octet-stream`, `image/png` |

                ## Request Body: content 

                A stream to the content to be uploaded 

                """,  # noqa: E501 (the page's table row stays one line, as pages have it)
    )
    api, _ = build(("restful/rest/Attachment/a.md", text))
    body = endpoint(api, "v1AttachmentEntity_UploadAttachment").body
    assert body.kind == "binary" and body.media_types[0] == "application/octet-stream"
    assert set(body.media_types) >= {"application/json", "image/png"}
    from docgen.emit.openapi import operation

    content = operation(endpoint(api, "v1AttachmentEntity_UploadAttachment"))["requestBody"]["content"]
    assert content["application/json"]["schema"] == {"type": "string", "contentEncoding": "base64"}
    assert content["application/octet-stream"]["schema"] == {"type": "string", "format": "binary"}


# -- primitive elements and values shown only by samples ---------------------------------------


def test_table_less_array_and_object_responses_take_the_samples_kinds():
    strings = page(
        "v1StringAgent_GetNames",
        "GET /api/v1/String/Names",
        response=RESPONSE_200.format(kind="array", body="### Response body: array\n\n"),
        sample_response=["sed", "earum"],
    )
    ints = page(
        "v1StringAgent_GetIds",
        "GET /api/v1/String/Ids",
        response=RESPONSE_200.format(kind="array", body="### Response body: array\n\n"),
        sample_response=[1, 2],
    )
    dictionary = page(
        "v1StringAgent_GetMap",
        "GET /api/v1/String/Map",
        response=RESPONSE_200.format(kind="object", body="### Response body: object\n\n"),
        sample_response={"1": "inventore", "2": None},
    )
    api, _ = build(
        ("restful/rest/String/a.md", strings),
        ("restful/rest/String/b.md", ints),
        ("restful/rest/String/c.md", dictionary),
    )
    assert endpoint(api, "v1StringAgent_GetNames").success.schema == {
        "type": "array",
        "items": {"type": ["string", "null"]},
    }
    assert endpoint(api, "v1StringAgent_GetIds").success.schema == {
        "type": "array",
        "items": {"type": ["integer", "null"], "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1},
    }
    # The real API sends and accepts null as a dictionary value.
    assert endpoint(api, "v1StringAgent_GetMap").success.schema == {
        "type": "object",
        "additionalProperties": {"type": ["string", "null"]},
    }


def test_numbered_keys_in_a_sample_are_a_dictionary_not_properties():
    text = page(
        "v1DatabaseTableAgent_InsertRow",
        "POST /api/v1/Agents/DatabaseTable/InsertRow",
        body="""\
                ## Request Body: request 

                TableName, Values 

                | Property Name | Type |  Description |
                |----------------|------|--------------|
                | TableName | String |  |
                | Values | Object |  |

                """,
        sample_request={"TableName": "x", "Values": {"Values1": "a", "Values2": "b"}},
        response=RESPONSE_200.format(
            kind="",
            body=(
                "### Response body: Row\n\n| Property Name | Type |  Description |\n"
                "|----------------|------|--------------|\n| Id | int32 |  |\n| Extra | object | "
                " |\n| Other | Other |  |\n"
            ),
        ),
        sample_response={
            "Id": 1,
            "Extra": {"Extra1": "x", "Extra2": "y"},
            "Other": {"Other1": 1, "Other2": 2},
        },
    )
    api, _ = build(("restful/agent/DatabaseTable_Agent/a.md", text))
    values = component(api, "InsertRowRequest")["properties"]["Values"]
    assert values["anyOf"][0] == {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
    row = component(api, "Row")["properties"]
    assert row["Extra"]["anyOf"][0] == {
        "type": "object",
        "additionalProperties": {"type": ["string", "null"]},
    }
    assert row["Other"]["anyOf"][0] == {
        "type": "object",
        "additionalProperties": {
            "type": ["integer", "null"],
            "format": "int32",
            "minimum": -(2**31),
            "maximum": 2**31 - 1,
        },
    }


def test_byte_placeholder_sample_makes_a_string_property_base64():
    text = page(
        "v1BLOBAgent_SetBlobStream",
        "POST /api/v1/Agents/BLOB/SetBlobStream",
        body="""\
                ## Request Body: request 

                BlobId, Stream 

                | Property Name | Type |  Description |
                |----------------|------|--------------|
                | BlobId | Integer |  |
                | Stream | String |  |
                | Name | String |  |

                """,
        sample_request={"BlobId": 1, "Stream": "GIF89....File contents as raw bytes...", "Name": "GIF89a"},
    )
    api, _ = build(("restful/agent/BLOB_Agent/a.md", text))
    props = component(api, "SetBlobStreamRequest")["properties"]
    assert props["Stream"]["type"] == ["string", "null"] and props["Stream"]["contentEncoding"] == "base64"
    assert "contentEncoding" not in props["Name"]


# -- stale type names --------------------------------------------------------------------------


def _entity_page(uid, path, heading, rows):
    return page(
        uid,
        f"GET {path}",
        response=RESPONSE_200.format(kind="", body=f"### Response body: {heading}\n\n{TABLE}{rows}"),
    )


def test_leaked_type_names_are_read_as_the_type_the_property_is_named_after():
    pages = [
        # `TableRight` heads tables of two unrelated types: the name is the generator's leftover.
        (
            "restful/rest/A/a.md",
            _entity_page(
                "v1A_GetTableRight",
                "/api/v1/A/TableRight",
                "TableRight",
                "| Mask | string |  |\n| Reason | string |  |\n",
            ),
        ),
        (
            "restful/rest/A/b.md",
            _entity_page(
                "v1A_GetWindowPosSize",
                "/api/v1/A/WindowPosSize",
                "TableRight",
                "| WindowPosSizeId | int32 |  |\n| Extra | string |  |\n",
            ),
        ),
        # `RecurrenceInfo` likewise.
        (
            "restful/rest/A/c.md",
            _entity_page(
                "v1A_GetRecurrence",
                "/api/v1/A/Recurrence",
                "RecurrenceInfo",
                "| RecurrenceId | int32 |  |\n| StartDate | date-time |  |\n",
            ),
        ),
        (
            "restful/rest/A/d.md",
            _entity_page(
                "v1A_GetDocumentStuff",
                "/api/v1/A/Stuff",
                "RecurrenceInfo",
                "| DocumentId | int32 |  |\n| Stuff | string |  |\n",
            ),
        ),
        (
            "restful/rest/A/e.md",
            _entity_page(
                "v1A_GetAppointment",
                "/api/v1/A/Appointment",
                "AppointmentEntity",
                "| AppointmentId | int32 |  |\n| Recurrence | RecurrenceInfo |  |\n| TableRight | "
                "RecurrenceInfo |  |\n| Moved | TableRight |  |\n",
            ),
        ),
        (
            "restful/rest/A/f.md",
            _entity_page(
                "v1A_GetTicket",
                "/api/v1/A/Ticket",
                "TicketEntity",
                "| TicketId | int32 |  |\n| TableRight | TableRight |  |\n| Recurrence | TableRight |  |\n| "
                "WindowPosSize | TableRight |  |\n",
            ),
        ),
    ]
    api, diags = build(*pages)
    appointment = component(api, "AppointmentEntity")["properties"]
    assert ref_name(appointment["TableRight"]) == "TableRight"  # stale `RecurrenceInfo`
    assert ref_name(appointment["Recurrence"]) == "RecurrenceInfo"  # a leaked name can be the real one
    assert ref_name(appointment["Moved"]) == "Moved"  # nothing else is known: an open object of its name
    ticket = component(api, "TicketEntity")["properties"]
    assert ref_name(ticket["Recurrence"]) == "RecurrenceInfo"  # elsewhere typed after the property
    # `| WindowPosSize | TableRight |` names the type that the stale heading over the
    # WindowPosSize operation's table describes.
    assert ref_name(ticket["WindowPosSize"]) == "WindowPosSize"
    assert set(component(api, "WindowPosSize")["properties"]) == {"WindowPosSizeId", "Extra"}
    assert {d.code for d in diags} >= {"DG205", "DG207"}


def test_list_body_items_are_the_response_items_they_are_a_subset_of():
    rows_in = "| Id | Integer |  |\n| Name | String |  |\n| Deleted | Boolean |  |\n"
    rows_out = (
        "| Id | int32 |  |\n| Name | string |  |\n| Deleted | bool |  |\n| TableRight | TableRight |  |\n"
    )
    text = page(
        "v1BusinessList_PutHeadings",
        "PUT /api/v1/List/Business/Items/{itemId}/Headings",
        body=f"## Request Body: entities \n\nThe headings to be saved. \n\n{TABLE}{rows_in}\n",
        response=RESPONSE_200.format(kind="array", body=f"### Response body: array\n\n{TABLE}{rows_out}"),
        sample_request=[{"Id": 1, "Name": "a", "Deleted": False}],
    )
    api, _ = build(("restful/rest/BusinessList/a.md", text))
    ep = endpoint(api, "v1BusinessList_PutHeadings")
    assert ep.body.schema["items"] == ep.success.schema["items"]


def test_empty_sample_objects_are_no_evidence_at_any_depth():
    # DatabaseTable Insert: `Data` is a list of rows of strings; the sample draws them as `{}`.
    text = page(
        "v1DatabaseTableAgent_Insert",
        "POST /api/v1/Agents/DatabaseTable/Insert",
        body=(
            f"## Request Body: request \n\nTableName, Data \n\n{TABLE}| TableName | String |  |\n"
            "| Data | Array |  |\n\n"
        ),
        sample_request={"TableName": "x", "Data": [[{}], [{}]]},
    )
    api, _ = build(("restful/agent/DatabaseTable_Agent/a.md", text))
    data = component(api, "InsertRequest")["properties"]["Data"]
    assert data["type"] == ["array", "null"] and data["items"] == {}, "any item: strings must be accepted"


_ELEMENT_ROWS = (
    "| Value | string | The Element FullName. |\n| StrippedValue | string | The Element FullName. |\n"
    "| Description | string | The Element Description |\n"
)


def test_a_structure_shared_by_properties_of_several_names_is_named_for_all_of_them():
    # GetPhones describes the element type; ContactEntity's samples show it under Emails,
    # Phones and Urls. Its name fits them all, not the operation that described it first.
    elements = page(
        "v1PersonAgent_GetPhones",
        "POST /api/v1/Agents/Person/GetPhones",
        response=RESPONSE_200.format(
            kind="array", body=f"### Response body: array\n\n{TABLE}{_ELEMENT_ROWS}"
        ),
    )
    element = {"Value": "a", "StrippedValue": "a", "Description": "d"}
    entity = page(
        "v1Contact_GetContact",
        "GET /api/v1/Contact/{id}",
        response=RESPONSE_200.format(
            kind="",
            body=f"### Response body: ContactEntity\n\n{TABLE}"
            "| ContactId | int32 |  |\n| Emails | array | The contact's email |\n"
            "| Phones | array | The contact's phone numbers |\n| Urls | array |  |\n",
        ),
        sample_response={"ContactId": 1, "Emails": [element], "Phones": [element], "Urls": [element]},
    )
    api, _ = build(("restful/agent/Person_Agent/a.md", elements), ("restful/rest/Contact/b.md", entity))
    props = component(api, "ContactEntity")["properties"]
    assert {ref_name(props[p]["items"]) for p in ("Emails", "Phones", "Urls")} == {"EmailPhoneUrl"}
    assert ref_name(endpoint(api, "v1PersonAgent_GetPhones").success.schema["items"]) == "EmailPhoneUrl"
    assert api.component("GetPhonesItem") is None


def test_a_description_naming_the_elements_type_names_it_and_fills_an_undescribed_name():
    # "Array of ColumnInfo column specifications": the pages name the type (elsewhere only a
    # stale type cell), and the operation's element table describes it.
    columns = page(
        "v1ArchiveAgent_GetAvailableColumns",
        "POST /api/v1/Agents/Archive/GetAvailableColumns",
        response=RESPONSE_200.format(
            kind="array",
            body=f"### Response body: array\n\n{TABLE}"
            "| DisplayName | string |  |\n| Name | string |  |\n| Width | string |  |\n",
        ),
    )
    column = {"DisplayName": "a", "Name": "n", "Width": "1"}
    config = page(
        "v1ArchiveAgent_GetConfiguration",
        "POST /api/v1/Agents/Archive/GetConfiguration",
        response=RESPONSE_200.format(
            kind="",
            body=f"### Response body: SelectableMDOList\n\n{TABLE}"
            "| ArchiveColumns | array | Array of ColumnInfo column specifications |\n"
            "| CriteriaArchiveColumns | array | Array of ColumnInfo column specifications |\n"
            "| Legacy | ColumnInfo |  |\n",
        ),
        sample_response={"ArchiveColumns": [column], "CriteriaArchiveColumns": [column], "Legacy": None},
    )
    api, diags = build(
        ("restful/agent/Archive_Agent/a.md", columns), ("restful/agent/Archive_Agent/b.md", config)
    )
    props = component(api, "SelectableMDOList")["properties"]
    assert ref_name(props["ArchiveColumns"]["items"]) == "ColumnInfo"
    assert ref_name(props["Legacy"]) == "ColumnInfo"
    assert set(component(api, "ColumnInfo")["properties"]) == {"DisplayName", "Name", "Width"}
    assert not any(d.code == "DG202" for d in diags), "ColumnInfo is described now"


def test_fitting_names_for_shared_structures():
    from docgen.model.naming import fitting_names

    assert fitting_names([("Emails", "")]) == []  # one property name: its context name fits
    assert fitting_names([("ArchiveRows", ""), ("CriteriaArchiveRows", ""), ("Rows", "")]) == ["Row"]
    assert fitting_names([("TimeZoneDSTRules", ""), ("TimeZoneSTDRules", "")]) == ["TimeZoneRule"]
    assert fitting_names([("Faxes", ""), ("Phones", ""), ("Categories", "")]) == ["CategoryFaxPhone"]
    # Not all plurals: joining their last words would not say what it is.
    assert fitting_names([("ArchiveOrderByInfo", ""), ("OrderBy", ""), ("SortOrder", "")]) == []
    assert (
        fitting_names([("A", "Array of ArchiveRestrictionInfo restriction specifications"), ("B", "")])[0]
        == "ArchiveRestrictionInfo"
    )
    # More plurals than a name can join.
    assert fitting_names([(p, "") for p in ("Emails", "Faxes", "Phones", "Urls", "Tags")]) == []


# -- the fold: asking for a schema has no side effect ---------------------------------------------


def _things_agent_page() -> str:
    return page(
        "v1ThingAgent_DeleteThings",
        "POST /api/v1/Agents/Thing/DeleteThings",
        body="""\
             ## Request Body: request 

             ThingIds 

             | Property Name | Type |  Description |
             |----------------|------|--------------|
             | ThingIds | Array |  |

             """,
    )


def test_a_lone_body_that_reads_another_pages_property_counts_nothing_twice():
    # The agent page's `ThingIds` is an array whose items no sample shows: one unknown array.
    rest = page(
        "v1ThingEntity_DeleteThings",
        "POST /api/v1/Thing/DeleteThings",
        body="## Request Body: thingIds \n\nThe primary keys. \n\n",
    )
    alone, _ = build(("restful/agent/Thing_Agent/a.md", _things_agent_page()))
    assert alone.stats.unknown_arrays == 1
    # The REST page's lone body looks at that property and, finding it says nothing of its
    # items, reads its own name: the count stays 1 (it was 2 while looking was counted).
    api, _ = build(
        ("restful/agent/Thing_Agent/a.md", _things_agent_page()), ("restful/rest/Thing/b.md", rest)
    )
    assert api.stats.unknown_arrays == 1
    assert endpoint(api, "v1ThingEntity_DeleteThings").body.schema["items"]["format"] == "int32"


def test_a_lone_body_that_reads_another_pages_property_reports_its_finding_once():
    agent, rest = _execute_script_pages()
    _, diags = build(("restful/agent/CRMScript_Agent/a.md", agent), ("restful/rest/CRMScript/b.md", rest))
    found = [(d.file, d.line) for d in diags if d.code == "DG204"]
    # One fact, one finding, at the row that states it (not a second one at the body heading).
    assert found == [
        (
            "restful/agent/CRMScript_Agent/a.md",
            agent.splitlines().index("| Parameters | PersonEntity |  |") + 1,
        )
    ]


PATCH_BODY = """\
## Request Body: changes string

JSON-Patch array of operations+path+value, or a MERGE-PATCH object (which will be converted
to a list of JSON-PATCH operations).

| Property Name | Type |  Description |
|----------------|------|--------------|
| op | String | "add", "replace", "remove", "test" "move" and "copy" not supported |
| path | String | The property names to modify.  "/users/0/email", "/users/-", |
| value | Object | New/Replaced value - string or object. |
"""


def test_a_json_patch_operations_value_is_any_json_value():
    """v1RoleEntity_PatchRoleEntity: `| value | Object |`, but RFC 6902 takes any value
    (`{"op": "replace", "path": "/Name", "value": "X"}`)."""
    api, diags = build(
        (
            "restful/rest/Role/p.md",
            page("v1RoleEntity_PatchRoleEntity", "PATCH /api/v1/Role/{id}", PATCH_BODY),
        )
    )
    props = component(api, "JsonPatchOperation")["properties"]
    assert props["value"].get("description") == "New/Replaced value - string or object."
    assert {k: v for k, v in props["value"].items() if k != "description"} == {}
    assert props["op"]["type"] == ["string", "null"]
    assert endpoint(api, "v1RoleEntity_PatchRoleEntity").body.media_types == ("application/json-patch+json",)


DICTIONARY_BODY = """\
## Request Body: values

A StringDictionary with the values to insert. You do not need to specify all the values in the
table. The omitted ones will get default values
"""


def test_an_inline_dictionary_body_has_a_component_of_its_own_in_the_spec():
    """v1TableRecord_InsertRow: the body is a StringDictionary and no page names a type for it;
    the same inline schema under each of its 7 media types reads as 7 models of one name to
    generators (openapi-python-client: "Attempted to generate duplicate models")."""
    from docgen.emit.openapi import spec_document

    api, _ = build(
        (
            "restful/rest/TableRecord/i.md",
            page("v1TableRecord_InsertRow", "POST /api/v1/Table/{tableName}", DICTIONARY_BODY),
        )
    )
    spec = spec_document(api, "")
    content = spec["paths"]["/api/v1/Table/{tableName}"]["post"]["requestBody"]["content"]
    assert {json.dumps(c["schema"]) for c in content.values()} == {
        json.dumps({"$ref": "#/components/schemas/InsertRowBody"})
    }
    assert (
        spec["components"]["schemas"]["InsertRowBody"] == endpoint(api, "v1TableRecord_InsertRow").body.schema
    )
    assert spec["components"]["schemas"]["InsertRowBody"]["additionalProperties"] == {
        "type": ["string", "null"]
    }
