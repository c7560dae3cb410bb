package routes;

import hub.EmbeddedHubTest;

/** The Dynamics 365 sync scenario on the embedded default: H2 file database and embedded Artemis. */
class DynamicsSyncOnH2Test extends EmbeddedHubTest implements DynamicsSyncScenario {
}
