package dev.identityplatform.interop;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;

import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.JwkSetUriJwtDecoderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The one bean Spring Boot 3.5 (Spring Security 6.5) needs for RFC 9068 access tokens: its
 * decoder built from issuer-uri accepts only typ "JWT" (or none) and refuses "at+jwt" ("JOSE header
 * typ (type) at+jwt not allowed"). This customizer keeps everything else Boot configures (JWKS from
 * discovery, issuer and time checks) and accepts exactly at+jwt, as RFC 9068 §4 asks of resource
 * servers (so an ID token is not taken for an access token).
 */
@Configuration
@Profile("jwt")
class AccessTokenTypeConfiguration {

  @Bean
  JwkSetUriJwtDecoderBuilderCustomizer acceptRfc9068AccessTokens() {
    return (builder) -> builder.jwtProcessorCustomizer((processor) -> processor
        .setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"))));
  }
}
