package io.vmworkers.soak;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Two identical workers, {@code soakA} and {@code soakB}, for the soak run.
 */
@SpringBootApplication
public class SoakApplication {

}
