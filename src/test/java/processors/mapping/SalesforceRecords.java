package processors.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

/** Salesforce REST records as Jackson reads them from a query response. */
final class SalesforceRecords {

    private SalesforceRecords() {
    }

    static Map<String, Object> account(String id) {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street", "1 Market St");
        address.put("city", "San Francisco");
        address.put("state", "CA");
        address.put("postalCode", "94105");
        address.put("country", "USA");
        address.put("geocodeAccuracy", null);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("attributes", Map.of("type", "Account", "url", "/services/data/v50.0/sobjects/Account/" + id));
        account.put("Id", id);
        account.put("Name", " Acme Corporation ");
        account.put("Website", "https://www.Acme.com");
        account.put("Industry", "Technology");
        account.put("Type", "Customer - Direct");
        account.put("Phone", "(415) 555-0100");
        account.put("BillingStreet", "1 Market St");
        account.put("BillingCity", "San Francisco");
        account.put("BillingState", "CA");
        account.put("BillingPostalCode", "94105");
        account.put("BillingCountry", "USA");
        account.put("BillingAddress", address);
        account.put("NumberOfEmployees", 1200);
        account.put("AnnualRevenue", 3.5E7);
        account.put("Description", "Makes everything.");
        account.put("CreatedDate", "2024-01-01T00:00:00.000+0000");
        account.put("LastModifiedDate", "2024-03-05T10:15:30.000+0000");
        account.put("SystemModstamp", "2024-03-05T10:15:31.000+0000");
        return account;
    }

    static Map<String, Object> contact(String id, String accountId) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("attributes", Map.of("type", "Contact"));
        contact.put("Id", id);
        contact.put("AccountId", accountId);
        contact.put("FirstName", "Ada");
        contact.put("LastName", "Lovelace");
        contact.put("Name", "Ada Lovelace");
        contact.put("Email", " Ada.Lovelace@Acme.COM ");
        contact.put("Phone", "(415) 555-0101");
        contact.put("MobilePhone", null);
        contact.put("Title", "CTO");
        contact.put("Department", "Engineering");
        contact.put("MailingCity", "London");
        contact.put("MailingCountry", "UK");
        contact.put("CreatedDate", "2024-01-02T08:30:00.000+0000");
        contact.put("LastModifiedDate", "2024-02-02T09:00:00.000+0000");
        contact.put("SystemModstamp", "2024-02-02T09:00:00.000+0000");
        return contact;
    }

    static Map<String, Object> opportunity(String id, String accountId) {
        Map<String, Object> opportunity = new LinkedHashMap<>();
        opportunity.put("attributes", Map.of("type", "Opportunity"));
        opportunity.put("Id", id);
        opportunity.put("AccountId", accountId);
        opportunity.put("Name", "Acme - 500 Widgets");
        opportunity.put("StageName", "Prospecting");
        opportunity.put("Amount", 125000.5);
        opportunity.put("CloseDate", "2024-06-30");
        opportunity.put("Probability", 10);
        opportunity.put("Type", "New Customer");
        opportunity.put("LeadSource", "Web");
        opportunity.put("CreatedDate", "2024-01-03T00:00:00.000+0000");
        opportunity.put("LastModifiedDate", "2024-01-04T00:00:00.000+0000");
        opportunity.put("SystemModstamp", "2024-01-04T00:00:00.000+0000");
        return opportunity;
    }

    /** A logged call about an opportunity, with the contact it was with. */
    static Map<String, Object> task(String id, String whatId, String whoId) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("attributes", Map.of("type", "Task"));
        task.put("Id", id);
        task.put("WhoId", whoId);
        task.put("WhatId", whatId);
        task.put("Subject", " Call ");
        task.put("ActivityDate", "2024-06-03");
        task.put("Status", "Completed");
        task.put("Priority", "High");
        task.put("TaskSubtype", "Call");
        task.put("Description", "Talked about the renewal.");
        task.put("AccountId", "001D000000IRFmaIAH");
        task.put("OwnerId", "005D0000001AbCdIAK");
        task.put("CreatedDate", "2024-06-03T09:00:00.000+0000");
        task.put("LastModifiedDate", "2024-06-03T09:05:00.000+0000");
        task.put("SystemModstamp", "2024-06-03T09:05:00.000+0000");
        return task;
    }

    static Map<String, Object> event(String id, String whatId, String whoId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("attributes", Map.of("type", "Event"));
        event.put("Id", id);
        event.put("WhoId", whoId);
        event.put("WhatId", whatId);
        event.put("Subject", "Demo: Platform Upgrade");
        event.put("Location", "Zoom");
        event.put("IsAllDayEvent", false);
        event.put("ActivityDateTime", "2024-06-10T14:30:00.000+0000");
        event.put("ActivityDate", "2024-06-10");
        event.put("DurationInMinutes", 45);
        event.put("StartDateTime", "2024-06-10T14:30:00.000+0000");
        event.put("EndDateTime", "2024-06-10T15:15:00.000+0000");
        event.put("Description", null);
        event.put("AccountId", "001D000000IRFmaIAH");
        event.put("OwnerId", "005D0000001AbCdIAK");
        event.put("CreatedDate", "2024-06-01T00:00:00.000+0000");
        event.put("LastModifiedDate", "2024-06-01T00:00:00.000+0000");
        event.put("SystemModstamp", "2024-06-01T00:00:00.000+0000");
        return event;
    }
}
