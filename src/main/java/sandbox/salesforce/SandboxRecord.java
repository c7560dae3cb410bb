package sandbox.salesforce;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One immutable record: values in schema field order. Changes produce a new instance, so query cursors
 * keep the snapshot they were opened with. Compound address values are derived from their components.
 */
public final class SandboxRecord {


    private final SObjectSchema type;
    private final Object[] values;

    /** Takes ownership of values, which must follow {@link SObjectSchema#fields()}. */
    SandboxRecord(SObjectSchema type, Object[] values) {
        this.type = type;
        this.values = values;
    }

    /** A new record with the given id and creation stamps. */
    static SandboxRecord created(SObjectSchema type, String id, Map<SObjectField, Object> fieldValues, Instant now) {
        Object[] values = new Object[type.fields().size()];
        fieldValues.forEach((f, v) -> values[f.index()] = v);
        values[type.require("Id").index()] = id;
        values[type.require("IsDeleted").index()] = Boolean.FALSE;
        values[type.require("CreatedDate").index()] = now;
        return new SandboxRecord(type, values).stamped(now);
    }

    /** A copy with changed fields and modification stamps. */
    SandboxRecord updated(Map<SObjectField, Object> changes, Instant now) {
        Object[] copy = values.clone();
        changes.forEach((f, v) -> copy[f.index()] = v);
        return new SandboxRecord(type, copy).stamped(now);
    }

    /** A copy moved to the recycle bin; the deletion time is its last modification. */
    SandboxRecord deleted(Instant now) {
        Object[] copy = values.clone();
        copy[type.require("IsDeleted").index()] = Boolean.TRUE;
        return new SandboxRecord(type, copy).stamped(now);
    }

    private SandboxRecord stamped(Instant now) {
        values[type.require("LastModifiedDate").index()] = now;
        values[type.require("SystemModstamp").index()] = now;
        if (type == SObjectSchema.CONTACT || type == SObjectSchema.LEAD) {
            // a person's Name is computed by Salesforce from the name parts
            Object first = values[type.require("FirstName").index()];
            Object last = values[type.require("LastName").index()];
            values[type.require("Name").index()] = first == null ? last : first + " " + last;
        }
        return this;
    }

    public SObjectSchema type() {
        return type;
    }

    public Object get(SObjectField field) {
        if (field.compound()) {
            return address(field);
        }
        return values[field.index()];
    }

    public Object get(String fieldName) {
        return get(type.require(fieldName));
    }

    public String id() {
        return (String) values[0];
    }

    public boolean isDeleted() {
        return Boolean.TRUE.equals(values[1]);
    }

    public Instant systemModstamp() {
        return (Instant) get("SystemModstamp");
    }

    public Instant lastModifiedDate() {
        return (Instant) get("LastModifiedDate");
    }

    /** All fields by name, with Java values (Instant, LocalDate, Integer, Double, Boolean, String, Map). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (SObjectField f : type.fields()) {
            map.put(f.name(), get(f));
        }
        return map;
    }

    private Map<String, Object> address(SObjectField field) {
        Object street = get(type.require(field.components().get(0)));
        Object city = get(type.require(field.components().get(1)));
        Object state = get(type.require(field.components().get(2)));
        Object postalCode = get(type.require(field.components().get(3)));
        Object country = get(type.require(field.components().get(4)));
        if (street == null && city == null && state == null && postalCode == null && country == null) {
            return null;
        }
        // key order and the geocode keys as Salesforce returns a compound address
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("city", city);
        address.put("country", country);
        address.put("geocodeAccuracy", null);
        address.put("latitude", null);
        address.put("longitude", null);
        address.put("postalCode", postalCode);
        address.put("state", state);
        address.put("street", street);
        return address;
    }
}
