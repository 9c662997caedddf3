package dev.identityplatform.interop;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One application, three Spring profiles, each configured only through Spring Boot properties
 * (application-PROFILE.yml): `jwt` (resource server with issuer-uri), `opaque` (resource server
 * introspecting with its own credentials), `login` (OAuth2 Login). Spring Boot's auto-configured
 * security filter chain is used as is: no SecurityFilterChain, no PKCE customizer.
 */
@SpringBootApplication
@RestController
public class InteropApplication {

  public static void main(String[] args) {
    SpringApplication.run(InteropApplication.class, args);
  }

  /** What Spring Security made of the bearer token (resource-server profiles). */
  @GetMapping("/api/whoami")
  public Map<String, Object> whoami(Authentication authentication) {
    Map<String, Object> out = new TreeMap<>();
    out.put("name", authentication.getName());
    out.put("type", authentication.getClass().getSimpleName());
    out.put("authorities", authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList());
    return out;
  }

  /** The signed-in user as OAuth2 Login saw them (login profile). */
  @GetMapping("/")
  public Map<String, Object> home(@AuthenticationPrincipal OidcUser user) {
    Map<String, Object> out = new TreeMap<>();
    out.put("name", user.getName());
    out.put("fullName", user.getFullName());
    out.put("email", user.getEmail());
    return out;
  }
}
