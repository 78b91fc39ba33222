package dev.closewatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Keeps the configured upstream WebSocket connections open and records every close.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CloseWatchApplication {

	public static void main(String[] args) {
		SpringApplication.run(CloseWatchApplication.class, args);
	}

}
