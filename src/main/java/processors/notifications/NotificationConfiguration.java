package processors.notifications;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code hub.notifications.*}. */
@Configuration
@EnableConfigurationProperties(NotificationSettings.class)
class NotificationConfiguration {
}
