package api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import security.Caller;

/** The OpenAPI document served at /api/openapi: bearer-key security, and the caller is not a parameter. */
@Configuration
public class OpenApiDocument {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI hubOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Castiel Integration Hub API").version("0.1")
                        .description("Tenants' integrations, their connections, sync tasks and executions, and the shards they produce."))
                .components(new Components().addSecuritySchemes("apiKey",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("Admin key for /api/admin, a tenant key for /api/tenant")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
