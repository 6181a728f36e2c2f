package io.vmworkers.it.tracing;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TracingApplication {

}
