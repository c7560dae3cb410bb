package routes;

import hub.EmbeddedHubTest;

/** The HubSpot sync scenario on the embedded default: H2 file database and embedded Artemis. */
class HubSpotSyncOnH2Test extends EmbeddedHubTest implements HubSpotSyncScenario {
}
