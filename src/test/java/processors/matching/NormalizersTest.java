package processors.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NormalizersTest {

    private final Normalizers us = new Normalizers("US");

    @Test
    void phoneNumbersBecomeE164WhateverTheirFormat() {
        for (String written : new String[] {"(415) 555-0100", "415.555.0100", "415 555 0100", "+1 415-555-0100", "1-415-555-0100",
                "+1 (415) 555 0100 ext. 12", "tel:+14155550100"}) {
            assertThat(us.phone(written)).as(written).isEqualTo("+14155550100");
        }
        assertThat(us.phone("+44 20 7946 0958")).isEqualTo("+442079460958");
        assertThat(us.phone("011 44 20 7946 0958")).as("dialled from the US").isEqualTo("+442079460958");
        assertThat(new Normalizers("GB").phone("020 7946 0958")).as("national number in the default region").isEqualTo("+442079460958");
        assertThat(new Normalizers("de").phone("030 1234567")).isEqualTo("+49301234567");
        assertThat(us.phone("n/a")).isNull();
        assertThat(us.phone("12")).as("no possible number").isNull();
    }

    @Test
    void anUnknownPhoneRegionIsRefused() {
        assertThatThrownBy(() -> new Normalizers("XX")).hasMessageContaining("unknown phone region 'XX'");
    }

    @Test
    void companyNamesLoseLegalFormsCasePunctuationAndAccents() {
        assertThat(Normalizers.companyName("Acme, Inc.")).isEqualTo("acme");
        assertThat(Normalizers.companyName("ACME INC")).isEqualTo("acme");
        assertThat(Normalizers.companyName("Acme Corp.")).isEqualTo("acme");
        assertThat(Normalizers.companyName("Acme Co., Ltd.")).isEqualTo("acme");
        assertThat(Normalizers.companyName("Acme Holdings LLC")).isEqualTo("acme");
        assertThat(Normalizers.companyName("Müller GmbH")).isEqualTo("muller");
        assertThat(Normalizers.companyName("Société Générale S.A.")).isEqualTo("societe generale");
        assertThat(Normalizers.companyName("Globex Pty Ltd")).isEqualTo("globex");
        assertThat(Normalizers.companyName("Initech plc")).isEqualTo("initech");
        assertThat(Normalizers.companyName("Smith & Co.")).isEqualTo("smith");
        assertThat(Normalizers.companyName("Johnson & Johnson")).isEqualTo("johnson and johnson");
        assertThat(Normalizers.companyName("The Widget Company")).isEqualTo("widget");
        assertThat(Normalizers.companyName("Co")).as("a name of only a legal form keeps it").isEqualTo("co");
        assertThat(Normalizers.companyName("  ")).isNull();
    }

    @Test
    void webDomainsComeFromUrlsHostsAndEmailAddresses() {
        assertThat(Normalizers.domain("https://www.Example.com/about?x=1")).isEqualTo("example.com");
        assertThat(Normalizers.domain("http://example.com:8080")).isEqualTo("example.com");
        assertThat(Normalizers.domain("www.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(Normalizers.domain("EXAMPLE.COM.")).isEqualTo("example.com");
        assertThat(Normalizers.domain("shop.example.com/path")).isEqualTo("shop.example.com");
        assertThat(Normalizers.domain("Jane.Doe@Sales.Example.com")).isEqualTo("sales.example.com");
        assertThat(Normalizers.domain("mailto:jane@example.com")).isEqualTo("example.com");
        assertThat(Normalizers.domain("https://user:pw@example.org/x")).isEqualTo("example.org");
        assertThat(Normalizers.domain("not a domain")).isNull();
        assertThat(Normalizers.domain("localhost")).isNull();
    }

    @Test
    void emailsAreLowerCasedAndGmailOnlyLosesDotsAndTags() {
        assertThat(Normalizers.email(" Jane.Doe@Example.COM ")).isEqualTo("jane.doe@example.com");
        assertThat(Normalizers.email("Jane.Doe+crm@gmail.com")).isEqualTo("janedoe@gmail.com");
        assertThat(Normalizers.email("jane.doe@googlemail.com")).isEqualTo("janedoe@gmail.com");
        assertThat(Normalizers.email("jane.doe+crm@example.com")).as("other providers may treat + as part of the address")
                .isEqualTo("jane.doe+crm@example.com");
        assertThat(Normalizers.email("mailto:jane@example.com")).isEqualTo("jane@example.com");
        assertThat(Normalizers.email("jane at example dot com")).isNull();
    }

    @Test
    void namesFoldAccentsCaseAndPunctuation() {
        assertThat(Normalizers.personName("José  Álvarez")).isEqualTo("jose alvarez");
        assertThat(Normalizers.personName("O'Brien")).isEqualTo("obrien");
        assertThat(Normalizers.personName("Mary-Jane")).isEqualTo("mary jane");
        assertThat(Normalizers.personName("Ægir Søren")).isEqualTo("ægir søren");
        assertThat(Normalizers.text("  Main St.  ")).isEqualTo("main st");
    }

    @Test
    void postalCodesAndDates() {
        assertThat(Normalizers.postalCode("sw1a 1aa")).isEqualTo("SW1A1AA");
        assertThat(Normalizers.postalCode("94105-1234")).isEqualTo("94105");
        assertThat(Normalizers.date("1984-07-06")).isEqualTo("1984-07-06");
        assertThat(Normalizers.date("19840706")).isEqualTo("1984-07-06");
        assertThat(Normalizers.date("1984-07-06T10:00:00Z")).isEqualTo("1984-07-06");
        assertThat(Normalizers.date("19841332")).as("a typo stays comparable").isEqualTo("1984-13-32");
        assertThat(Normalizers.date("July 6")).isNull();
    }

    @Test
    void numbersAndObjectsAsFieldValues() {
        assertThat(Normalizers.raw(4223)).isEqualTo("4223");
        assertThat(Normalizers.raw(4223.0)).isEqualTo("4223");
        assertThat(Normalizers.raw(java.util.Map.of("a", 1))).isNull();
        assertThat(Normalizers.raw("  ")).isNull();
    }
}
