"""The endpoint model and the schema fold on the bundled page: types, arrays, maps, opaque."""

from __future__ import annotations

import pytest
from docgen.model import build_api
from docgen.model.typemap import classify_type, nullable
from docgen.parser import parse_page


@pytest.fixture(scope="module")
def api(seed_bytes):
    page = parse_page(
        seed_bytes, "restful/agent/Contact_Agent/v1ContactAgent_EnrichContactEntity.md", "Contact_Agent"
    ).value
    api, diags = build_api([page], [], "SuperOffice WebAPI", "1")
    assert not [d for d in diags if d.level.value != "info"]
    return api


def props(api, name):
    return api.component(name).schema["properties"]


@pytest.mark.parametrize(
    "cell, schema",
    [
        ("int32", {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}),
        ("int64", {"type": "integer", "format": "int64", "minimum": -(2**63), "maximum": 2**63 - 1}),
        ("date-time", {"type": "string", "format": "date-time"}),
        ("bool", {"type": "boolean"}),
        ("double", {"type": "number", "format": "double"}),
        ("string", {"type": "string"}),
        ("String", {"type": "string"}),
        ("Integer", {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}),
        ("Boolean", {"type": "boolean"}),
        ("Enum: Slim, Wide, Full", {"type": "string", "enum": ["Slim", "Wide", "Full"]}),
    ],
)
def test_type_mapping(cell, schema):
    assert classify_type(cell).schema == schema


def test_named_and_container_types():
    assert classify_type("ContactEntity").kind == "named"
    assert classify_type("Array").kind == "array" and classify_type("object").kind == "object"
    assert classify_type("weird type!").kind == "unknown"


def test_nullable_forms():
    assert nullable({"type": "string"}) == {"type": ["string", "null"]}
    assert nullable({"$ref": "#/x"}) == {"anyOf": [{"$ref": "#/x"}, {"type": "null"}]}
    assert nullable({}) == {}


def test_operation(api):
    (ep,) = api.endpoints
    assert ep.operation_id == "v1ContactAgent_EnrichContactEntity"
    assert (ep.method, ep.path, ep.tag, ep.python_name) == (
        "POST",
        "/api/v1/Agents/Contact/EnrichContactEntity",
        "Contact_Agent",
        "enrich_contact_entity",
    )
    select = ep.parameters[0]
    assert (select.name, select.location, select.python_name, select.required) == (
        "$select",
        "query",
        "select",
        False,
    )
    headers = [p.name for p in ep.parameters if p.location == "header"]
    assert headers == ["Accept-Language", "SO-Language", "SO-Culture", "SO-TimeZone", "SO-AppToken"]
    assert [r.status for r in ep.responses] == [200]
    assert ep.responses[0].schema == {"$ref": "#/components/schemas/ContactEntity"}
    assert ep.responses[0].has_example and ep.responses[0].example["ContactId"] == 999


def test_request_body_component(api):
    body = api.endpoints[0].body
    assert body.model == "EnrichContactEntityRequest"
    assert [f.python_name for f in body.fields] == ["contact_entity", "enrich_id"]
    p = props(api, "EnrichContactEntityRequest")
    assert p["ContactEntity"]["anyOf"][0] == {"$ref": "#/components/schemas/ContactEntity"}
    assert p["EnrichId"]["type"] == ["string", "null"]


def test_primitive_properties(api):
    p = props(api, "ContactEntity")
    assert p["ContactId"]["type"] == ["integer", "null"] and p["ContactId"]["format"] == "int32"
    assert p["UpdatedDate"]["format"] == "date-time"
    assert p["NoMailing"]["type"] == ["boolean", "null"]
    assert p["ContactId"]["description"] == "Primary key"
    assert list(p)[:3] == ["ContactId", "Name", "Department"]  # table order kept


def test_array_items_from_sample(api):
    p = props(api, "ContactEntity")
    persons = p["Persons"]
    assert persons["type"] == ["array", "null"]
    # The real API sends and accepts null as an array item.
    assert persons["items"]["anyOf"][1] == {"type": "null"}
    item = persons["items"]["anyOf"][0]["$ref"].rsplit("/", 1)[1]
    person = props(api, item)
    assert len(person) == 43  # every key of the sample's person
    assert person["PersonId"]["type"] == ["integer", "null"]
    assert person["UsePersonAddress"]["type"] == ["boolean", "null"]
    assert p["BounceEmails"]["items"] == {"type": ["string", "null"]}
    # Emails, Urls, Phones and Faxes elements have one structure: one schema, named for all
    # of its uses (never after the first), the context names kept as aliases.
    refs = {p[k]["items"]["anyOf"][0]["$ref"] for k in ("Emails", "Urls", "Phones", "Faxes")}
    assert refs == {"#/components/schemas/EmailFaxPhoneUrl"}
    assert {"EmailsItem", "PhonesItem"} <= set(api.component("EmailFaxPhoneUrl").aliases)


def test_dictionaries_from_sample(api):
    p = props(api, "ContactEntity")
    for name in ("UserDefinedFields", "ExtraFields", "CustomFields"):
        schema = p[name]["anyOf"][0]
        assert schema == {"type": "object", "additionalProperties": {"type": ["string", "null"]}}, name
    field_props = p["FieldProperties"]["anyOf"][0]
    value = props(api, field_props["additionalProperties"]["anyOf"][0]["$ref"].rsplit("/", 1)[1])
    assert set(value) == {"FieldRight", "FieldType", "FieldLength"}
    assert value["FieldRight"] == {}  # only null in the samples: nothing guessed


def test_opaque_named_types(api):
    for name in ("Associate", "Person", "Business", "TableRight", "InitalUtmParameters"):
        c = api.component(name)
        assert c.origin == "opaque", name
        assert "not described" in c.schema["description"]
    assert set(api.stats.opaque) >= {"Associate", "Person"}
    assert api.component("ContactEntity").origin == "described"


def test_inferred_names_do_not_depend_on_order(seed_bytes):
    page = parse_page(seed_bytes, "a/Contact_Agent/p.md", "Contact_Agent").value
    other = parse_page(
        seed_bytes.replace(b"v1ContactAgent_EnrichContactEntity", b"v1ContactAgent_Other").replace(
            b"EnrichContactEntity\n", b"Other\n"
        ),
        "a/Contact_Agent/o.md",
        "Contact_Agent",
    ).value
    a, _ = build_api([page, other], [], "t", "1")
    b, _ = build_api([other, page], [], "t", "1")
    assert [c.name for c in a.components] == [c.name for c in b.components]
    assert a.components == b.components


@pytest.mark.parametrize(
    "name, python",
    [
        ("cRMScriptId", "crm_script_id"),  # a lowered acronym stays one word
        ("contactId", "contact_id"),
        ("EnrichContactEntity", "enrich_contact_entity"),
        ("$select", "select"),
        ("E-mail", "e_mail"),
        ("sr_ids", "sr_ids"),
    ],
)
def test_python_names(name, python):
    from docgen.text import snake

    assert snake(name) == python
