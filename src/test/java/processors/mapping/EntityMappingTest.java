package processors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EntityMappingTest {

    private static final EntityMapping COMPANY = compile("""
            provider: Acme-CRM
            entity: Org
            shardType: c_company
            externalId: meta.id
            externalVersion: meta.version
            fields:
              - target: name
                source: profile.name
                transform: [trim]
                required: true
              - target: address.city
                source: profile.address.city
              - target: address.geo.lat
                source: profile.address.lat
                transform: [number]
              - target: industry
                source: industry
                transform: [trim]
                default: Other
              - target: tier
                source: tier
                transform: [uppercase, {default: STANDARD}]
              - target: founded
                source: founded
                transform: [{dateFormat: {from: "dd/MM/yyyy", to: date}}]
              - target: summary
                source: summary
                transform: [{truncate: 10}]
              - target: label
                expression: "{{profile.name | trim}} / {{profile.address.city | default: '?'}}"
              - target: legacyCode
                source: legacy.code
                direction: outbound
              - target: score
                source: score
                transform: [integer]
                direction: inbound
            relationships:
              - type: owned_by
                source: parent.id
                targetEntity: Org
                targetShardType: c_company
              - type: managed_by
                source: managerId
                targetEntity: User
                targetShardType: c_contact
            """);

    @Test
    void mapsNestedSourcesToNestedTargetsInFieldOrder() {
        MappedRecord mapped = COMPANY.map(Map.of(
                "meta", Map.of("id", 42, "version", "v7"),
                "profile", Map.of("name", " Acme ", "address", Map.of("city", "Lyon", "lat", "45.76")),
                "industry", "Software",
                "tier", "gold",
                "founded", "01/02/1999",
                "summary", "A very long summary",
                "legacy", Map.of("code", "L-1"),
                "score", "7",
                "parent", Map.of("id", "P-1")));

        assertThat(mapped.externalId()).isEqualTo("42");
        assertThat(mapped.externalVersion()).isEqualTo("v7");
        assertThat(mapped.shardType()).isEqualTo("c_company");
        assertThat(mapped.structuredData()).containsExactly(
                entry("name", "Acme"),
                entry("address", Map.of("city", "Lyon", "geo", Map.of("lat", new java.math.BigDecimal("45.76")))),
                entry("industry", "Software"),
                entry("tier", "GOLD"),
                entry("founded", "1999-02-01"),
                entry("summary", "A very lon"),
                entry("label", "Acme / Lyon"),
                entry("score", 7));
        assertThat(mapped.relationships()).containsExactly(new RelationshipRef("owned_by", "Org", "c_company", "P-1"));
        assertThat(COMPANY.provider()).as("provider names are normalised").isEqualTo("acme-crm");
    }

    @Test
    void defaultsApplyToMissingNullAndBlankValues() {
        Map<String, Object> record = new HashMap<>(Map.of("meta", Map.of("id", "1"), "profile", Map.of("name", "Acme"), "industry", "   "));
        record.put("tier", null);

        Map<String, Object> data = COMPANY.map(record).structuredData();

        assertThat(data).containsEntry("industry", "Other").containsEntry("tier", "STANDARD");
        assertThat(COMPANY.map(Map.of("meta", Map.of("id", "1"), "profile", Map.of("name", "Acme"))).structuredData())
                .containsEntry("industry", "Other");
    }

    @Test
    void absentSourcesAreLeftOutButNullsAreKept() {
        Map<String, Object> record = new HashMap<>(Map.of("meta", Map.of("id", "1"), "profile", Map.of("name", "Acme")));
        record.put("summary", null);

        Map<String, Object> data = COMPANY.map(record).structuredData();

        assertThat(data).containsEntry("summary", null).doesNotContainKeys("founded", "score", "address");
        assertThat(data).containsEntry("label", "Acme / ?");
    }

    @Test
    void requiredFieldsAndIdsFailTheRecord() {
        assertThatThrownBy(() -> COMPANY.map(Map.of("meta", Map.of("id", "1"), "profile", Map.of("name", "  "))))
                .isInstanceOf(MappingException.class)
                .hasMessage("acme-crm/Org record '1': field 'name' (source 'profile.name'): required but missing or blank");
        assertThatThrownBy(() -> COMPANY.map(Map.of("profile", Map.of("name", "Acme"))))
                .hasMessage("acme-crm/Org: record has no external id at 'meta.id'");
    }

    @Test
    void transformFailuresNameFieldSourceAndReasonButNotTheRecord() {
        Map<String, Object> record = Map.of("meta", Map.of("id", "9"), "profile", Map.of("name", "Acme", "secret", "s3cr3t"),
                "founded", "sometime in 1999");

        assertThatThrownBy(() -> COMPANY.map(record))
                .isInstanceOf(MappingException.class)
                .hasMessage("acme-crm/Org record '9': field 'founded' (source 'founded'): dateFormat: cannot read 'sometime in 1999' as dd/MM/yyyy")
                .message().doesNotContain("s3cr3t");
    }

    @Test
    void relationshipsWithoutAnIdAreSkipped() {
        Map<String, Object> record = new HashMap<>(Map.of("meta", Map.of("id", "1"), "profile", Map.of("name", "Acme"),
                "parent", Map.of("id", " "), "managerId", "U-7"));

        assertThat(COMPANY.map(record).relationships()).containsExactly(new RelationshipRef("managed_by", "User", "c_contact", "U-7"));
    }

    @Test
    void writableTargetsAreReversibleFieldsThatSyncOutbound() {
        assertThat(COMPANY.writableTargets())
                .containsExactly("name", "address.city", "address.geo.lat", "industry", "tier", "founded", "legacyCode");
        assertThat(COMPANY.isWritable("summary")).as("truncate is lossy").isFalse();
        assertThat(COMPANY.isWritable("label")).as("expressions are read-only").isFalse();
        assertThat(COMPANY.isWritable("score")).as("inbound only").isFalse();
        assertThat(COMPANY.isWritable("unknown")).isFalse();
    }

    @Test
    void reverseWritesProviderFieldsForWritableTargetsOnly() {
        Map<String, Object> shard = Map.of(
                "name", "Acme",
                "address", Map.of("city", "Lyon"),
                "founded", "1999-02-01",
                "summary", "short",
                "label", "Acme / Lyon",
                "score", 3,
                "legacyCode", "L-2");

        Map<String, Object> provider = COMPANY.reverse(shard);

        assertThat(provider).containsExactly(
                entry("profile", Map.of("name", "Acme", "address", Map.of("city", "Lyon"))),
                entry("founded", "01/02/1999"),
                entry("legacy", Map.of("code", "L-2")));
    }

    @Test
    void reverseFailuresNameTheField() {
        assertThatThrownBy(() -> COMPANY.reverse(Map.of("founded", "tomorrow")))
                .hasMessage("acme-crm/Org: field 'founded' (writes 'founded'): dateFormat: cannot read 'tomorrow' as date");
    }

    @Test
    void fieldRulesDescribeThemselves() {
        FieldRule founded = COMPANY.fields().get(5);

        assertThat(founded.target()).isEqualTo("founded");
        assertThat(founded.source()).contains("founded");
        assertThat(founded.transforms()).containsExactly("dateFormat");
        assertThat(founded.direction()).isEqualTo(Direction.BOTH);
        assertThat(founded.writeTo()).contains("founded");
        assertThat(COMPANY.fields().get(7).expression()).contains("{{profile.name | trim}} / {{profile.address.city | default: '?'}}");
        assertThat(COMPANY.relationships()).extracting(RelationshipRule::type).containsExactly("owned_by", "managed_by");
    }

    @Test
    void aPolymorphicReferenceLinksToTheObjectItsIdPrefixNames() {
        EntityMapping note = compile("""
                provider: p
                entity: Activity
                shardType: c_note
                externalId: id
                fields:
                  - {target: title, source: subject}
                relationships:
                  - type: about
                    source: regarding
                    targets:
                      - {idPrefix: "C-", targetEntity: Customer, targetShardType: c_company}
                      - {idPrefix: "D-", targetEntity: Deal, targetShardType: c_opportunity}
                  - type: owned_by
                    source: owner
                    targetEntity: User
                    targetShardType: c_contact
                """);

        assertThat(note.map(Map.of("id", "1", "regarding", "D-9", "owner", "U-1")).relationships()).containsExactly(
                new RelationshipRef("about", "Deal", "c_opportunity", "D-9"),
                new RelationshipRef("owned_by", "User", "c_contact", "U-1"));
        assertThat(note.map(Map.of("id", "2", "regarding", "C-4")).relationships())
                .containsExactly(new RelationshipRef("about", "Customer", "c_company", "C-4"));
        // prefixes are case-sensitive, and an id no target claims makes no link
        assertThat(note.map(Map.of("id", "3", "regarding", "c-4")).relationships()).isEmpty();
        assertThat(note.map(Map.of("id", "4", "regarding", "X-1")).relationships()).isEmpty();
        RelationshipRule about = note.relationships().get(0);
        assertThat(about.polymorphic()).isTrue();
        assertThat(about.targets()).extracting(RelationshipRule.Target::idPrefix).containsExactly("C-", "D-");
        assertThat(note.relationships().get(1).polymorphic()).isFalse();
        assertThat(note.sourceFields()).containsExactly("id", "subject", "regarding", "owner");
    }

    private static final String LEAD = """
            provider: p
            entity: Lead
            shardType: c_contact
            externalId: id
            externalVersion: stamp
            fields:
              - {target: lastName, source: last, required: true}
              - {target: email, source: email, transform: [trim, lowercase]}
            relationships:
              - {type: owned_by, source: owner, targetEntity: User, targetShardType: c_contact}
            derived:
              - name: company
                shardType: c_company
                relationship: works_at
                fields:
                  - {target: name, source: company, transform: [trim], required: true}
                  - {target: domain, source: email, transform: [domain]}
                  - {target: phone, source: phone}
            """;

    @Test
    void aRecordYieldsItsDerivedShardLinkedFromItsOwn() {
        EntityMapping lead = compile(LEAD);
        MappedRecord mapped = lead.map(Map.of("id", "L1", "stamp", "v1", "last", "Ng", "email", " Kim@Globex.COM ",
                "company", " Globex Ltd ", "phone", "+1 555 0100", "owner", "U1"));

        assertThat(mapped.shardType()).isEqualTo("c_contact");
        assertThat(mapped.relationships()).containsExactly(new RelationshipRef("owned_by", "User", "c_contact", "U1"),
                new RelationshipRef("works_at", "Lead.company", "c_company", "L1"));
        assertThat(mapped.derived()).hasSize(1);
        MappedRecord.Derived company = mapped.derived().get(0);
        assertThat(company.entity()).isEqualTo("Lead.company");
        assertThat(company.record().externalId()).isEqualTo("L1");
        assertThat(company.record().externalVersion()).isEqualTo("v1");
        assertThat(company.record().shardType()).isEqualTo("c_company");
        assertThat(company.record().structuredData()).containsExactly(Map.entry("name", "Globex Ltd"), Map.entry("domain", "globex.com"),
                Map.entry("phone", "+1 555 0100"));
        // the derived fields are read from the record too, and never written back
        assertThat(lead.sourceFields()).containsExactly("id", "stamp", "last", "email", "owner", "company", "phone");
        assertThat(lead.derived().get(0).fields()).allSatisfy(f -> assertThat(f.writable()).isFalse());
        assertThat(lead.reverse(Map.of("lastName", "Ng", "name", "Other Co"))).containsExactly(Map.entry("last", "Ng"));
    }

    @Test
    void aRecordWithoutTheDerivedShardsRequiredFieldsStillMapsWithoutIt() {
        EntityMapping lead = compile(LEAD);
        MappedRecord mapped = lead.map(Map.of("id", "L2", "last", "Ng", "company", "  "));
        assertThat(mapped.derived()).isEmpty();
        assertThat(mapped.relationships()).isEmpty();
        // the record's own required field still fails it
        assertThatThrownBy(() -> lead.map(Map.of("id", "L3", "company", "Globex"))).isInstanceOf(MappingException.class)
                .hasMessageContaining("field 'lastName'");
    }

    @Test
    void derivedShardsAreCheckedAsTheRecordsOwnFieldsAre() {
        assertThatThrownBy(() -> compile(LEAD.replace("{target: phone, source: phone}",
                "{target: phone, source: phone, direction: both}")))
                .hasMessageContaining("derived shard 'company' is read from the record, never written back");
        assertThatThrownBy(() -> compile(LEAD.replace("relationship: works_at", "relationship: owned_by")))
                .hasMessageContaining("relationship 'owned_by' is also one of the record's relationships");
        assertThatThrownBy(() -> compile(LEAD.replace("name: company", "name: the company")))
                .hasMessageContaining("a derived shard's name is a word");
        assertThatThrownBy(() -> compile(LEAD.replace("shardType: c_company", "shardType: c_firm")))
                .hasMessageContaining("unknown shard type 'c_firm'");
        assertThatThrownBy(() -> compile(LEAD.replace("relationship: works_at", "relationship: works_at\n    colour: red")))
                .hasMessageContaining("unknown key 'colour'");
    }

    @Test
    void twoFieldsWritingOneProviderFieldAreRejected() {
        assertThatThrownBy(() -> compile("""
                provider: p
                entity: E
                shardType: c_note
                externalId: id
                fields:
                  - {target: body, source: text}
                  - {target: bodyLower, source: text, transform: [lowercase]}
                """)).hasMessage("test.yaml:7:14: fields 'body' and 'bodyLower' both write back to 'text'; mark one direction: inbound");
    }

    @Test
    void outboundFieldsMustBeReversible() {
        assertThatThrownBy(() -> compile("""
                provider: p
                entity: E
                shardType: c_note
                externalId: id
                fields:
                  - {target: body, source: text, transform: [{truncate: 5}], direction: outbound}
                """)).hasMessage("test.yaml:6:73: field 'body' is outbound only but cannot be written back: transform 'truncate' is not reversible");
        assertThatThrownBy(() -> compile("""
                provider: p
                entity: E
                shardType: c_note
                externalId: id
                fields:
                  - {target: title, expression: "{{a}}", direction: outbound}
                """)).hasMessageContaining("is an expression, which can only be read");
    }

    static EntityMapping compile(String yaml) {
        return MappingCatalog.read("test.yaml", new StringReader(yaml));
    }

    static List<String> targets(EntityMapping mapping) {
        return mapping.fields().stream().map(FieldRule::target).toList();
    }
}
