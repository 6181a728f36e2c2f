package io.vmworkers.it.calls;

import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CallsApplication {

}
