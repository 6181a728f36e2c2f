package io.vmworkers.it.details;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class DetailsApplication {

}
