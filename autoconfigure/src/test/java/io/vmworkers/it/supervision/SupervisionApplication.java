package io.vmworkers.it.supervision;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SupervisionApplication {

}
