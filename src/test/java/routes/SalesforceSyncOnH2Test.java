package routes;

import hub.EmbeddedHubTest;

/** The sync scenario on the embedded default: H2 file database and embedded Artemis. */
class SalesforceSyncOnH2Test extends EmbeddedHubTest implements SalesforceSyncScenario {
}
