package io.vmworkers.it.debug;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class DebugApplication {

}
