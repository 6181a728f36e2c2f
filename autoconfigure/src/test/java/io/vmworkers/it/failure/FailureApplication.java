package io.vmworkers.it.failure;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class FailureApplication {

}
