"""The pages merged with the .NET reference (model/fold/docfx_rows.py): each rule on excerpts."""

# Merging the pages and the .NET library reference: each rule on excerpts of both sources, shaped
# as the real pages (`restful/...`) and reference files (`webapi/SuperOffice.WebApi.Data.*.yml`) are.

from __future__ import annotations

from docgen.model.docfx import reference_model

from support.docfx import NS, prop, type_file, value
from support.pages import RESPONSE_200, TABLE, build_with, component, endpoint, page


def ref(name: str, declaration: str, members: str = "", **kw):
    return reference_model(type_file(name, declaration, members, **kw), f"webapi/{NS}.{name}.yml")


CARRIER = ref(
    "Carrier",
    "public abstract class Carrier : Object",
    prop("Carrier", "TableRight", f"{NS}.TableRight", "public TableRight TableRight { get; set; }")
    + prop(
        "Carrier",
        "FieldProperties",
        f"{NS}.FieldPropertyDictionary",
        "public FieldPropertyDictionary FieldProperties { get; set; }",
    ),
)
ADDRESS_TYPE = ref(
    "AddressType",
    "public sealed class AddressType : Enum",
    value("AddressType", "Unknown") + value("AddressType", "ContactPostalAddress"),
)
STRING_DICTIONARY = ref("StringDictionary", "public class StringDictionary : Dictionary<string, string>")


def contact_page(
    rows: str, uid: str = "v1ContactAgent_GetContactEntity", heading: str = "ContactEntity"
) -> str:
    return page(
        uid,
        f"GET /api/v1/Agents/Contact/{uid.split('_')[1]}",
        response=RESPONSE_200.format(kind="", body=f"### Response body: {heading}\n\n{TABLE}{rows}"),
    )


def entity(members: str, name: str = "ContactEntity"):
    return ref(name, f"public class {name} : Carrier", members, inheritance=[f"{NS}.Carrier"])


def name_only_entity():
    """ContactEntity as a reference file that declares its Name alone."""
    return entity(prop("ContactEntity", "Name", "System.String", "public string Name { get; set; }"))


def nullable_type() -> str:
    """ContactEntity's `Type`, an `AddressType?` (a nullable enum)."""
    return prop(
        "ContactEntity",
        "Type",
        f"System.Nullable{{{NS}.AddressType}}",
        "public AddressType? Type { get; set; }",
    )


def props_of(api, name):
    return component(api, name)["properties"]


def first(schema):
    """A property's schema without nullability and description."""
    return next((a for a in schema.get("anyOf", [schema]) if a.get("type") != "null"), schema)


def test_where_the_sources_agree_nothing_changes():
    rows = "| Name | string | The name |\n"
    reference = name_only_entity()
    api, diags = build_with([("restful/agent/Contact_Agent/a.md", contact_page(rows))], [reference])
    alone, _ = build_with([("restful/agent/Contact_Agent/a.md", contact_page(rows))], [])
    assert props_of(api, "ContactEntity")["Name"] == props_of(alone, "ContactEntity")["Name"]
    assert not [d for d in diags if d.code == "DG208"]


def test_an_enum_behind_a_string_cell_is_the_reference_enum():
    rows = "| Type | string |  |\n"
    reference = entity(nullable_type())
    api, diags = build_with(
        [("restful/agent/Contact_Agent/a.md", contact_page(rows))], [reference, ADDRESS_TYPE]
    )
    assert first(props_of(api, "ContactEntity")["Type"]) == {"$ref": "#/components/schemas/AddressType"}
    assert component(api, "AddressType")["enum"] == ["Unknown", "ContactPostalAddress"]
    assert not [d for d in diags if d.code == "DG208"], "a string cell over an enum is no disagreement"


def test_an_array_cell_takes_the_reference_element_type():
    rows = "| Urls | array |  |\n"
    reference = entity(
        prop("ContactEntity", "Urls", f"{NS}.EntityElement[]", "public EntityElement[] Urls { get; set; }"),
    )
    element = ref(
        "EntityElement",
        "public class EntityElement : Object",
        prop("EntityElement", "Value", "System.String", "public string Value { get; set; }"),
    )
    api, _ = build_with([("restful/agent/Contact_Agent/a.md", contact_page(rows))], [reference, element])
    items = props_of(api, "ContactEntity")["Urls"]["items"]
    assert first(items) == {"$ref": "#/components/schemas/EntityElement"}
    assert "Value" in props_of(api, "EntityElement")
    assert api.stats.unknown_arrays == 0


def test_a_stale_cell_is_the_declared_type_and_a_finding_names_both_places():
    rows = "| Parameters | PersonEntity |  |\n"
    reference = entity(
        prop(
            "ContactEntity",
            "Parameters",
            f"{NS}.StringDictionary",
            "public StringDictionary Parameters { get; set; }",
        ),
    )
    text = contact_page(rows)
    api, diags = build_with([("restful/agent/Contact_Agent/a.md", text)], [reference, STRING_DICTIONARY])
    assert first(props_of(api, "ContactEntity")["Parameters"]) == {
        "type": "object",
        "additionalProperties": {"type": ["string", "null"]},
    }
    (finding,) = [d for d in diags if d.code == "DG208"]
    assert finding.file == "restful/agent/Contact_Agent/a.md"
    assert finding.line == text.splitlines().index("| Parameters | PersonEntity |  |") + 1
    assert f"webapi/{NS}.ContactEntity.yml:" in finding.message and "'PersonEntity'" in finding.message
    assert api.component("StringDictionary") is None, "a dictionary type is spelled out where it is used"


def test_a_wider_integer_in_the_reference_wins_with_a_finding():
    rows = "| BlobSize | int32 |  |\n"
    reference = entity(
        prop("ContactEntity", "BlobSize", "System.Int64", "public long BlobSize { get; set; }")
    )
    api, diags = build_with([("restful/agent/Contact_Agent/a.md", contact_page(rows))], [reference])
    assert first(props_of(api, "ContactEntity")["BlobSize"])["format"] == "int64"
    assert [d.code for d in diags if d.code == "DG208"] == ["DG208"]


def test_a_type_the_pages_only_name_takes_its_properties_from_the_reference_inherited_ones_too():
    rows = "| Name | string |  |\n| Address | StructuredAddress |  |\n"
    reference = name_only_entity()
    address = ref(
        "StructuredAddress",
        "public class StructuredAddress : Carrier",
        prop("StructuredAddress", "City", "System.String", "public string City { get; set; }"),
        inheritance=[f"{NS}.Carrier"],
        summary="Address with structured fields",
    )
    pages = [("restful/agent/Contact_Agent/a.md", contact_page(rows))]
    alone, alone_diags = build_with(pages, [])
    assert alone.component("StructuredAddress").origin == "opaque"
    api, diags = build_with(pages, [reference, address, CARRIER])
    c = api.component("StructuredAddress")
    assert c.origin == "reference" and c.schema["description"] == "Address with structured fields"
    assert list(c.schema["properties"]) == ["TableRight", "FieldProperties", "City"]
    assert not [d for d in diags if d.code == "DG202" and "StructuredAddress" in d.message]


def test_properties_only_the_reference_lists_are_added_after_the_pages_rows():
    # Entity tables often omit the inherited TableRight and FieldProperties.
    rows = "| Name | string |  |\n"
    reference = entity(
        prop("ContactEntity", "Name", "System.String", "public string Name { get; set; }")
        + prop("ContactEntity", "Number1", "System.String", "public string Number1 { get; set; }"),
    )
    api, _ = build_with([("restful/agent/Contact_Agent/a.md", contact_page(rows))], [reference, CARRIER])
    assert list(props_of(api, "ContactEntity")) == ["Name", "TableRight", "FieldProperties", "Number1"]


def test_a_rest_answer_with_links_is_its_reference_carrier():
    rows = "| Type | string |  |\n| _Links | object |  |\n"
    reference = entity(nullable_type())
    text = contact_page(rows, uid="v1ContactEntity_GetContactEntity", heading="ContactEntityWithLinks")
    api, _ = build_with([("restful/rest/Contact/a.md", text)], [reference, ADDRESS_TYPE])
    assert first(props_of(api, "ContactEntityWithLinks")["Type"]) == {
        "$ref": "#/components/schemas/AddressType"
    }


def test_an_agent_request_wrapper_is_the_area_qualified_request_carrier():
    body = f"## Request Body: request \n\nType \n\n{TABLE}| Type | String |  |\n\n"
    text = page("v1BLOBAgent_SaveImageStream", "POST /api/v1/Agents/BLOB/SaveImageStream", body=body)
    carrier = ref(
        "BLOB_SaveImageStreamRequest",
        "public class BLOB_SaveImageStreamRequest : Object",
        prop(
            "BLOB_SaveImageStreamRequest",
            "Type",
            f"{NS}.AddressType",
            "public AddressType Type { get; set; }",
        ),
    )
    api, _ = build_with([("restful/agent/BLOB_Agent/a.md", text)], [carrier, ADDRESS_TYPE])
    assert first(props_of(api, "SaveImageStreamRequest")["Type"]) == {
        "$ref": "#/components/schemas/AddressType"
    }


def test_only_types_the_operations_reach_are_emitted():
    rows = "| Name | string |  |\n"
    reference = name_only_entity()
    unrelated = ref(
        "Widget",
        "public class Widget : Object",
        prop("Widget", "Size", "System.Int32", "public int Size { get; set; }"),
    )
    api, _ = build_with(
        [("restful/agent/Contact_Agent/a.md", contact_page(rows))], [reference, unrelated, ADDRESS_TYPE]
    )
    assert api.component("Widget") is None and api.component("AddressType") is None


def test_a_structure_docgen_named_is_the_reference_type_it_is_a_subset_of():
    # A table-described array element (docgen names it `<Op>Item`) with the properties of a
    # carrier that only the reference describes is that carrier.
    rows = "| Name | string |  |\n| Operator | string |  |\n| Values | array |  |\n"
    response = RESPONSE_200.format(kind=" array", body=f"### Response body: array\n\n{TABLE}{rows}")
    text = page("v1FindAgent_GetRestrictions", "GET /api/v1/Agents/Find/GetRestrictions", response=response)
    holder_rows = "| Restrictions | ArchiveRestrictionInfo |  |\n"
    members = "".join(
        prop("ArchiveRestrictionInfo", n, t, f"public {n} {n} {{ get; set; }}")
        for n, t in [("Name", "System.String"), ("Operator", "System.String"), ("Values", "System.String[]")]
    )
    info = ref("ArchiveRestrictionInfo", "public class ArchiveRestrictionInfo : Object", members)
    pages = [
        ("restful/agent/Find_Agent/a.md", text),
        ("restful/agent/Contact_Agent/b.md", contact_page(holder_rows)),
    ]
    api, _ = build_with(pages, [info])
    items = endpoint(api, "v1FindAgent_GetRestrictions").success.schema["items"]
    assert first(items) == {"$ref": "#/components/schemas/ArchiveRestrictionInfo"}
    assert api.component("GetRestrictionsItem") is None


def test_a_dictionary_cell_takes_the_reference_value_type_and_only_another_kind_is_a_finding():
    rows = "| Extra | object |  |\n| Count | object |  |\n"
    members = prop(
        "ContactEntity", "Extra", f"{NS}.StringDictionary", "public StringDictionary Extra { get; set; }"
    )
    members += prop("ContactEntity", "Count", "System.Int32", "public int Count { get; set; }")
    api, diags = build_with(
        [("restful/agent/Contact_Agent/a.md", contact_page(rows))], [entity(members), STRING_DICTIONARY]
    )
    assert first(props_of(api, "ContactEntity")["Extra"])["additionalProperties"] == {
        "type": ["string", "null"]
    }
    assert [d.message.split(" ")[0] for d in diags if d.code == "DG208"] == ["ContactEntity.Count"]


def test_a_structure_inferred_from_samples_is_the_reference_type_it_is_a_subset_of():
    holder_rows = "| Info | ReturnInfo |  |\n"
    members = "".join(
        prop("ReturnInfo", n, t, f"public {n} {n} {{ get; set; }}")
        for n, t in [("Type", f"{NS}.AddressType"), ("Value", "System.String"), ("Text", "System.String")]
    )
    info = ref("ReturnInfo", "public class ReturnInfo : Object", members)
    rows = "| Results | array |  |\n"
    sample = {"Results": [{"Type": "Unknown", "Value": "sed", "Text": "est"}]}
    response = RESPONSE_200.format(kind="", body=f"### Response body: CheckResult\n\n{TABLE}{rows}")
    text = page(
        "v1DocumentAgent_Check",
        "GET /api/v1/Agents/Document/Check",
        response=response,
        sample_response=sample,
    )
    pages = [
        ("restful/agent/Document_Agent/a.md", text),
        ("restful/agent/Contact_Agent/b.md", contact_page(holder_rows)),
    ]
    alone, _ = build_with(pages, [])
    assert "ResultsItem" in {c.name for c in alone.components}
    api, _ = build_with(pages, [info, ADDRESS_TYPE])
    assert first(props_of(api, "CheckResult")["Results"]["items"]) == {
        "$ref": "#/components/schemas/ReturnInfo"
    }
    assert "ResultsItem" not in {c.name for c in api.components}


def test_a_stale_heading_over_a_reference_carriers_table_is_that_carrier():
    # The License pages' `Response body: TableRight` sits over ExtendedLicenseInfo's table; their
    # operations are named after LicenseInfo, which another page names.
    license_rows = "| Reason | string |  |\n| CanBeActivated | bool |  |\n| New | TableRight |  |\n"
    table_right = "| Mask | string |  |\n| Reason | string |  |\n"

    def license_page(op):
        return contact_page(license_rows, uid=f"v1LicenseAgent_{op}", heading="TableRight")

    pages = [
        ("restful/agent/License_Agent/a.md", license_page("GetLicenseFromDB")),
        ("restful/agent/License_Agent/b.md", license_page("AddLicenseFromFile")),
        ("restful/rest/A/c.md", contact_page(table_right, uid="v1A_GetTableRight", heading="TableRight")),
        (
            "restful/agent/Contact_Agent/d.md",
            contact_page("| Info | LicenseInfo |  |\n", uid="v1ContactAgent_GetX"),
        ),
    ]
    members = "".join(
        prop("ExtendedLicenseInfo", n, t, f"public {n} {n} {{ get; set; }}")
        for n, t in [
            ("Reason", "System.String"),
            ("CanBeActivated", "System.Boolean"),
            ("New", f"{NS}.LicenseInfo"),
        ]
    )
    extended = ref("ExtendedLicenseInfo", "public class ExtendedLicenseInfo : Object", members)
    alone, _ = build_with(pages, [])
    assert endpoint(alone, "v1LicenseAgent_GetLicenseFromDB").success.schema["$ref"].endswith("/LicenseInfo")
    api, diags = build_with(pages, [extended])
    for uid in ("v1LicenseAgent_GetLicenseFromDB", "v1LicenseAgent_AddLicenseFromFile"):
        assert endpoint(api, uid).success.schema == {"$ref": "#/components/schemas/ExtendedLicenseInfo"}
    assert any(d.code == "DG205" and d.message.endswith("read as ExtendedLicenseInfo") for d in diags)
